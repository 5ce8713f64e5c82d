import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { contactsCsv, tmpFile } from '#tests/helpers/imports'
import { discardAbandonedImports } from '#kernel/imports/retention'
import { importRetentionDays } from '#config/housekeeping'

/**
 * The nightly removal of imports nobody applied: past the retention period
 * (from their last change) the import, its uploaded file and its dry run's
 * rows go, audited; applied imports and one being applied stay.
 */

const KIND = 'contacts.contacts'

async function upload(client: any, token: string, name: string) {
  const file = await tmpFile(name, contactsCsv(3, {}, name.replace(/\W/g, '')))
  const started = await client.post(`/api/v1/imports/${KIND}`).bearerToken(token).file('file', file)
  started.assertStatus(201)
  return Number(started.body().data.id)
}

async function age(id: number, days: number) {
  const at = DateTime.utc().minus({ days }).toFormat(db.connection().dialect.dateTimeFormat)
  await db.from('imports').where('id', id).update({ updated_at: at, created_at: at })
}

test.group('Imports: retention of abandoned uploads', () => {
  test('imports left unapplied past the retention period are removed with their file and rows, audited', async ({
    client,
    assert,
  }) => {
    assert.equal(importRetentionDays, 7)
    const { company, user } = await companyWithUser('admin')
    const token = await tokenFor(user)

    const uploaded = await upload(client, token, 'left.csv')
    const checked = await upload(client, token, 'checked.csv')
    ;(
      await client.post(`/api/v1/imports/${checked}/check`).bearerToken(token).json({})
    ).assertStatus(200)
    assert.isAbove(
      Number((await db.from('import_rows').where('import_id', checked).count('* as n'))[0].n),
      0
    )
    const applied = await upload(client, token, 'applied.csv')
    ;(
      await client.post(`/api/v1/imports/${applied}/check`).bearerToken(token).json({})
    ).assertStatus(200)
    ;(await client.post(`/api/v1/imports/${applied}/apply`).bearerToken(token)).assertStatus(200)
    const applying = await upload(client, token, 'applying.csv')
    await db.from('imports').where('id', applying).update({ status: 'applying' })
    const recent = await upload(client, token, 'recent.csv')

    for (const id of [uploaded, checked, applied, applying]) await age(id, 8)
    await age(recent, 6)

    const removed = await discardAbandonedImports()
    assert.isAtLeast(removed, 2)

    const left = await db
      .from('imports')
      .whereIn('id', [uploaded, checked, applied, applying, recent])
      .orderBy('id')
      .select('id', 'status')
    assert.deepEqual(
      left.map((r) => [Number(r.id), r.status]),
      [
        [applied, 'applied'],
        [applying, 'applying'],
        [recent, 'uploaded'],
      ]
    )
    assert.lengthOf(await db.from('import_rows').whereIn('import_id', [uploaded, checked]), 0)
    ;(await client.get(`/api/v1/imports/${uploaded}`).bearerToken(token)).assertStatus(404)

    const audited = await db
      .from('audit_logs')
      .where('event', 'import.discarded')
      .where('model', 'kernel.import')
      .whereIn('record_id', [String(uploaded), String(checked)])
      .orderBy('record_id')
    assert.lengthOf(audited, 2)
    for (const entry of audited) {
      assert.equal(Number(entry.company_id), company.id)
      assert.isNull(entry.actor_id)
      const meta = typeof entry.meta === 'string' ? JSON.parse(entry.meta) : entry.meta
      assert.deepEqual(meta, { reason: 'retention', days: 7 })
      const changes = typeof entry.changes === 'string' ? JSON.parse(entry.changes) : entry.changes
      assert.equal(changes.kind[0], KIND)
    }

    // Run again: nothing left to remove among these.
    await discardAbandonedImports()
    assert.lengthOf(await db.from('imports').whereIn('id', [applied, applying, recent]), 3)
    // A shorter retention takes the recent one too.
    await discardAbandonedImports({ retentionDays: 5 })
    assert.notExists(await db.from('imports').where('id', recent).first())
  })
})
