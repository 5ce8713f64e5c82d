import db from '@adonisjs/lucid/services/db'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import { migrateKernel } from '#services/prepare'
import { ensureBuiltinRoles } from '#kernel/security/roles'
import { moduleSchemaTable } from '#kernel/modules/paths'

/** Drops everything and rebuilds: kernel migrated, every module on disk enabled. */
export async function resetDatabase() {
  const connection = db.connection()
  if (connection.dialect.name === 'postgres') {
    await connection.rawQuery('DROP SCHEMA IF EXISTS public CASCADE')
    await connection.rawQuery('CREATE SCHEMA public')
  } else {
    await connection.rawQuery('PRAGMA foreign_keys = OFF')
    const tables = await connection.rawQuery(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (const { name } of tables) await connection.rawQuery(`DROP TABLE IF EXISTS "${name}"`)
    await connection.rawQuery('PRAGMA foreign_keys = ON')
  }
  await migrateKernel()
  await ensureBuiltinRoles()
  for (const manifest of registry.all()) {
    await moduleManager.enable(manifest.name, { withDependencies: true }).catch((error) => {
      // Already enabled as a dependency of an earlier module.
      if (!String(error.message).includes('already')) throw error
    })
  }
  await moduleManager.refresh()
  void moduleSchemaTable
}
