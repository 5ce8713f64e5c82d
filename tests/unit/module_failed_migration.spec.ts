import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createFixtureModules } from '#tests/helpers/fixture_modules'

/** knex answers hasTable with a boolean on some drivers and a list of them on others. */
async function tableExists(name: string) {
  const answer: unknown = await db.connection().schema.hasTable(name)
  return Array.isArray(answer) ? answer.some(Boolean) : Boolean(answer)
}

test.group('A module whose migration fails', () => {
  test('enabling it refuses in one line and leaves the schema as it was', async ({ assert }) => {
    const fixtures = await createFixtureModules('broken', [
      { name: 'fx_broken', tables: ['fx_broken_first'], failingMigration: 'fx_broken_second' },
    ])
    try {
      const error = await fixtures.manager.enable('fx_broken').catch((e) => e)
      assert.equal(error?.code, 'E_CHARPENTE_MODULE')
      assert.match(error.message, /^Module "fx_broken": migration failed: /)
      assert.isFalse(await tableExists('fx_broken_first'), 'the applied migration is undone')
      assert.isFalse(await tableExists('fx_broken_second'))
      assert.equal(await fixtures.manager.stateOf('fx_broken'), 'not_installed')
    } finally {
      await fixtures.cleanup()
    }
  })
})
