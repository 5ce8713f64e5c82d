import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import moduleManager from '#kernel/modules/module_manager'
import { ensureBuiltinRoles } from '#kernel/security/roles'
import { seedDemo, DEMO_LOGIN } from '#database/seeders/demo'
import { appUrl } from '#config/app'

/** Runs the kernel's pending migrations on the primary connection. */
export async function migrateKernel() {
  const runner = new MigrationRunner(db, app, { direction: 'up' })
  await runner.run()
  if (runner.error) throw runner.error
  return Object.keys(runner.migratedFiles)
}

export function defaultModules() {
  return (env.get('MODULES') ?? 'contacts,ardoise,stock')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
}

export async function prepareDatabase(options: { forceDemo?: boolean } = {}) {
  const lines: string[] = []
  const migrated = await migrateKernel()
  if (migrated.length) lines.push(`Kernel: ${migrated.length} migration(s) run`)
  await ensureBuiltinRoles()
  await moduleManager.bootstrap(defaultModules())

  const wantDemo = options.forceDemo || (app.inDev && env.get('DEMO', true))
  const companies = await db.from('companies').count('* as total').first()
  if (wantDemo && Number(companies.total) === 0) {
    await seedDemo()
    lines.push(
      `Demo company created. Sign in at ${appUrl}/login as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`
    )
  } else if (Number(companies.total) === 0) {
    lines.push(`No company yet: open ${appUrl}/setup to create the first company and admin`)
  }
  return { lines }
}
