import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { nextNumber, ensureSequence } from '#kernel/numbering/numbering'
import { seriesAdmin } from '#kernel/numbering/series_admin'

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

  test('200 concurrent assignments give a run with no gap and no duplicate', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const { key } = await yearlySeries(company.id, 'INV-{YYYY}-{seq:4}', 'yearly')
    const at = DateTime.fromISO('2026-03-10T09:00:00Z')
    // Every seventh caller fails after taking its number: it must give it back.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        db.transaction(async (trx) => {
          const taken = await nextNumber(trx, company.id, key, at)
          if (i % 7 === 3) throw new Error('the caller failed')
          return taken.formatted
        })
      )
    )
    const issued = outcomes
      .filter((o): o is PromiseFulfilledResult<string> => o.status === 'fulfilled')
      .map((o) => o.value)
    const failed = outcomes.filter((o) => o.status === 'rejected')
    assert.lengthOf(failed, 29)
    for (const reason of failed.map((o) => (o as PromiseRejectedResult).reason)) {
      assert.equal(reason.message, 'the caller failed')
    }
    assert.lengthOf(issued, 171)
    assert.deepEqual(
      [...issued].sort(),
      Array.from({ length: 171 }, (_, i) => `INV-2026-${String(i + 1).padStart(4, '0')}`)
    )
    const kept = await db
      .from('sequence_numbers')
      .join('sequences', 'sequences.id', 'sequence_numbers.sequence_id')
      .where('sequences.key', key)
      .where('sequences.company_id', company.id)
      .count('* as total')
    assert.equal(Number(kept[0].total), 171)
  }).timeout(120000)

  test('an admin moving the next number during concurrent assignments issues no number twice', async ({
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const { key } = await yearlySeries(company.id, 'AV-{seq:4}', 'never')
    const series = await db.from('sequences').where({ company_id: company.id, key }).firstOrFail()
    const take = () => db.transaction(async (trx) => (await nextNumber(trx, company.id, key)).value)
    const first = Array.from({ length: 60 }, take)
    // Waits for the counter row like an assignment does, then moves it forward.
    const moved = seriesAdmin.update(company.id, series.id, { nextValue: 500 })
    const second = Array.from({ length: 60 }, take)
    const values = (await Promise.all([...first, ...second])).sort((a, b) => a - b)
    await moved

    assert.lengthOf(new Set(values), 120)
    // A run from 1, then a run from 500: nothing below 500 after the move, no gap within a run.
    const low = values.filter((v) => v < 500)
    const high = values.filter((v) => v >= 500)
    // The move took effect among the assignments (the pool queues it before the second half).
    assert.isAbove(low.length, 0)
    assert.isAbove(high.length, 0)
    assert.deepEqual(
      low,
      Array.from({ length: low.length }, (_, i) => i + 1)
    )
    assert.deepEqual(
      high,
      Array.from({ length: high.length }, (_, i) => i + 500)
    )
  }).timeout(120000)

  test('periods follow the company’s time zone; monthly series restart each month', async ({
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const { key } = await yearlySeries(company.id, 'BL{YY}{MM}-{seq:3}', 'monthly')
    const take = (iso: string) =>
      db.transaction(
        async (trx) => (await nextNumber(trx, company.id, key, DateTime.fromISO(iso))).formatted
      )
    assert.equal(await take('2026-11-30T10:00:00Z'), 'BL2611-001')
    assert.equal(await take('2026-11-30T12:00:00Z'), 'BL2611-002')
    // 23:30 UTC on 30 November is already December in Paris (the company's zone).
    assert.equal(await take('2026-11-30T23:30:00Z'), 'BL2612-001')
    assert.equal(await take('2026-12-31T23:30:00Z'), 'BL2701-001')
    await db.from('companies').where('id', company.id).update({ timezone: 'America/Montreal' })
    // 03:00 UTC on 1 January is still 31 December in Montreal.
    assert.equal(await take('2027-01-01T03:00:00Z'), 'BL2612-002')
  })
})

let seriesCount = 0

/** A series of the company with this format and reset. */
async function yearlySeries(
  companyId: number,
  format: string,
  reset: 'yearly' | 'monthly' | 'never'
) {
  seriesCount += 1
  const key = `test.series${seriesCount}`
  await db.transaction((trx) =>
    ensureSequence(companyId, { key, label: { fr: 'Test', en: 'Test' }, format, reset }, trx)
  )
  return { key }
}
