import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { nextNumber, ensureSequence } from '#kernel/numbering/numbering'

test.group('Numbering under concurrency', () => {
  test('concurrent contact creations get gapless, unique codes', async ({ client, assert }) => {
    const { company, user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    // PostgreSQL runs these truly in parallel; SQLite serialises writers.
    const count = db.connection().dialect.name === 'postgres' ? 200 : 50
    const responses = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client
          .post('/api/v1/contacts')
          .bearerToken(token)
          .json({ kind: 'person', name: `Concurrent ${i}` })
      )
    )
    for (const response of responses) response.assertStatus(201)
    const rows = await db.from('contacts').where('company_id', company.id).select('code')
    const numbers = rows.map((r) => Number(String(r.code).replace('CL-', ''))).sort((a, b) => a - b)
    assert.lengthOf(numbers, count)
    assert.deepEqual(
      numbers,
      Array.from({ length: count }, (_, i) => i + 1)
    )
  }).timeout(120000)

  test('a rolled-back transaction gives its number back', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const take = () => db.transaction((trx) => nextNumber(trx, company.id, 'contacts.contact'))
    assert.equal((await take()).formatted, 'CL-00001')
    await assert.rejects(() =>
      db.transaction(async (trx) => {
        await nextNumber(trx, company.id, 'contacts.contact')
        throw new Error('the caller failed after taking a number')
      })
    )
    assert.equal((await take()).formatted, 'CL-00002')
  })

  test('yearly series restart each year and render {YYYY}', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    await db.transaction((trx) =>
      ensureSequence(
        company.id,
        {
          key: 'test.yearly',
          label: { fr: 'Test', en: 'Test' },
          prefix: 'FA-{YYYY}-',
          padding: 4,
          reset: 'yearly',
        },
        trx
      )
    )
    const at = (year: number) => DateTime.fromObject({ year, month: 6, day: 1 }, { zone: 'utc' })
    const take = (year: number) =>
      db.transaction((trx) => nextNumber(trx, company.id, 'test.yearly', at(year)))
    assert.equal((await take(2026)).formatted, 'FA-2026-0001')
    assert.equal((await take(2026)).formatted, 'FA-2026-0002')
    assert.equal((await take(2027)).formatted, 'FA-2027-0001')
  })
})
