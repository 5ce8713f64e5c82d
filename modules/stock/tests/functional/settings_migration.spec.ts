import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { moduleSettings, updateModuleSettings } from '#kernel/settings/settings'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'
import MoveSettings from '../../database/migrations/1300_move_settings_to_kernel.js'

/*
 * Migration 1300 moves "allow negative stock" from the module's own table to
 * the kernel's settings. Run down then up inside a transaction that is rolled
 * back, so the shared test database is left as it was.
 */
test.group('Stock: settings migration to the kernel', () => {
  test('down restores the old table from the kernel settings; up moves them back and drops it', async ({
    client,
    assert,
  }) => {
    const allowed = await stockSite(client)
    const forbidden = await stockSite(client)
    const later = await companyWithUser('manager')
    await updateModuleSettings('stock', allowed.company.id, { allowNegative: true })

    const trx = await db.transaction()
    try {
      await new MoveSettings(trx, 'down').execDown()
      const old = await trx.from('stock_settings').select('company_id', 'allow_negative')
      assert.includeDeepMembers(
        old.map((row) => Number(row.company_id)),
        [allowed.company.id]
      )
      assert.notInclude(
        old.map((row) => Number(row.company_id)),
        forbidden.company.id
      )

      // A site still on 1.1.0: the setting lives in stock_settings only.
      await trx.from('module_settings').where('module', 'stock').delete()
      await trx.table('stock_settings').insert({
        company_id: later.company.id,
        allow_negative: true,
        updated_at: dbNow(trx),
      })
      await new MoveSettings(trx, 'up').execUp()

      assert.isTrue((await moduleSettings('stock', allowed.company.id, trx)).allowNegative)
      assert.isTrue((await moduleSettings('stock', later.company.id, trx)).allowNegative)
      assert.isFalse((await moduleSettings('stock', forbidden.company.id, trx)).allowNegative)
      assert.isFalse(await trx.schema.hasTable('stock_settings'))
    } finally {
      await trx.rollback()
    }
    assert.isTrue((await moduleSettings('stock', allowed.company.id)).allowNegative)
  })
})
