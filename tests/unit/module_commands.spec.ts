import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import type { BaseCommand } from '@adonisjs/core/ace'
import ModuleList from '../../app/commands/module_list.js'
import ModuleEnable from '../../app/commands/module_enable.js'
import ModuleDisable from '../../app/commands/module_disable.js'
import ModuleUninstall from '../../app/commands/module_uninstall.js'
import { createFixtureModules } from '#tests/helpers/fixture_modules'

type Fixtures = Awaited<ReturnType<typeof createFixtureModules>>
let fixtures: Fixtures

/** Runs a module command against the fixture modules; returns it with its output lines. */
async function run(Command: typeof BaseCommand, argv: string[]) {
  const command = await ace.create(Command as any, argv)
  ;(command as any).manager = fixtures.manager
  // The raw logger is shared by every command: keep this one's lines only.
  command.ui.logger.flushLogs()
  await command.exec()
  const logs = command.ui.logger.getLogs() as { message: string; stream: string }[]
  return {
    command,
    stdout: logs.filter((l) => l.stream === 'stdout').map((l) => l.message),
    stderr: logs.filter((l) => l.stream === 'stderr').map((l) => l.message),
  }
}

/** Asserts the command refused with exactly one error line, and returns that line's text. */
function refusal(assert: any, result: Awaited<ReturnType<typeof run>>) {
  result.command.assertFailed()
  assert.lengthOf(result.stderr, 1, result.stderr.join('\n'))
  assert.notMatch(result.stderr[0], /\n|\bat .*:\d+:\d+/, 'no stack trace')
  return result.stderr[0].replace(/^\[ red\(error\) \] /, '')
}

async function hasTable(name: string) {
  return db.connection().schema.hasTable(name)
}

test.group('Module commands', (group) => {
  group.setup(async () => {
    ace.ui.switchMode('raw')
    fixtures = await createFixtureModules('commands', [
      { name: 'fx_base', tables: ['fx_base_things'], permissions: ['fx_base.thing.read'] },
      { name: 'fx_child', depends: ['fx_base'], tables: ['fx_child_parts'] },
      { name: 'fx_top', depends: ['fx_child'] },
    ])
    return async () => {
      await fixtures.cleanup()
      ace.ui.switchMode('normal')
    }
  })

  test('module:list --json prints a JSON array alone', async ({ assert }) => {
    const result = await run(ModuleList, ['--json'])
    result.command.assertSucceeded()
    assert.lengthOf(result.stdout, 1)
    const modules = JSON.parse(result.stdout[0])
    assert.deepEqual(
      modules.map((m: any) => [m.name, m.version, m.state, m.depends]),
      [
        ['fx_base', '1.0.0', 'not_installed', []],
        ['fx_child', '1.0.0', 'not_installed', ['fx_base']],
        ['fx_top', '1.0.0', 'not_installed', ['fx_child']],
      ]
    )
  })

  test('an unknown module name is refused in one line', async ({ assert }) => {
    const message = refusal(assert, await run(ModuleEnable, ['nope']))
    assert.equal(message, 'Unknown module "nope" (modules on disk: fx_base, fx_child, fx_top)')
  })

  test('enabling a module whose dependency is not enabled names it', async ({ assert }) => {
    const message = refusal(assert, await run(ModuleEnable, ['fx_child']))
    assert.equal(
      message,
      'Cannot enable "fx_child": it depends on "fx_base", which is not enabled (enable it first, or pass --with-dependencies)'
    )
    assert.equal(await fixtures.manager.stateOf('fx_child'), 'not_installed')
  })

  test('enabling a module names every dependency that is not enabled', async ({ assert }) => {
    const message = refusal(assert, await run(ModuleEnable, ['fx_top']))
    assert.equal(
      message,
      'Cannot enable "fx_top": it depends on "fx_base", "fx_child", which are not enabled (enable them first, or pass --with-dependencies)'
    )
  })

  test('--with-dependencies enables them first, with their tables and grants', async ({
    assert,
  }) => {
    const result = await run(ModuleEnable, ['fx_top', '--with-dependencies'])
    result.command.assertSucceeded()
    result.command.assertLogMatches(/Enabled "fx_top" and its dependencies "fx_base", "fx_child"/)
    for (const name of ['fx_base', 'fx_child', 'fx_top']) {
      assert.equal(await fixtures.manager.stateOf(name), 'enabled', name)
    }
    assert.isTrue(await hasTable('fx_base_things'))
    assert.isTrue(await hasTable('fx_child_parts'))
    const grant = await db
      .from('role_permissions')
      .join('roles', 'roles.id', 'role_permissions.role_id')
      .where({ 'roles.key': 'staff', 'role_permissions.permission': 'fx_base.thing.read' })
      .first()
    assert.exists(grant)
  })

  test('enabling an enabled module says so and succeeds', async () => {
    const result = await run(ModuleEnable, ['fx_base'])
    result.command.assertSucceeded()
    result.command.assertLogMatches(/Module "fx_base" is already enabled/)
  })

  test('disabling a module an enabled module depends on is refused, naming it', async ({
    assert,
  }) => {
    const message = refusal(assert, await run(ModuleDisable, ['fx_base']))
    assert.equal(
      message,
      'Cannot disable "fx_base": "fx_child" depends on it and is enabled (disable it first)'
    )
    assert.equal(await fixtures.manager.stateOf('fx_base'), 'enabled')
  })

  test('disabling keeps the data', async ({ assert }) => {
    await db.table('fx_base_things').insert({})
    for (const name of ['fx_top', 'fx_child', 'fx_base']) {
      const result = await run(ModuleDisable, [name])
      result.command.assertSucceeded()
      assert.equal(await fixtures.manager.stateOf(name), 'disabled')
    }
    const rows = await db.from('fx_base_things').count('* as total')
    assert.equal(Number(rows[0].total), 1)
  })

  test('disabling a disabled module is refused', async ({ assert }) => {
    const message = refusal(assert, await run(ModuleDisable, ['fx_base']))
    assert.equal(message, 'Module "fx_base" is not enabled')
  })

  test('uninstalling a module an installed module depends on is refused, dry run included', async ({
    assert,
  }) => {
    const expected =
      'Cannot uninstall "fx_base": "fx_child" depends on it and is installed (uninstall it first)'
    assert.equal(refusal(assert, await run(ModuleUninstall, ['fx_base'])), expected)
    assert.equal(refusal(assert, await run(ModuleUninstall, ['fx_base', '--force'])), expected)
    assert.isTrue(await hasTable('fx_base_things'))
  })

  test('uninstall without --force shows the tables it would drop and changes nothing', async ({
    assert,
  }) => {
    for (const name of ['fx_top', 'fx_child']) {
      ;(await run(ModuleUninstall, [name, '--force'])).command.assertSucceeded()
    }
    assert.isFalse(await hasTable('fx_child_parts'))

    const result = await run(ModuleUninstall, ['fx_base'])
    result.command.assertSucceeded()
    assert.include(result.stdout, '  drop table fx_base_things')
    result.command.assertLogMatches(/Dry run: uninstalling "fx_base" would drop 1 table\(s\)/)
    assert.isTrue(await hasTable('fx_base_things'))
    assert.equal(await fixtures.manager.stateOf('fx_base'), 'disabled')
  })

  test('uninstall --force drops the tables, the state and the grants', async ({ assert }) => {
    const result = await run(ModuleUninstall, ['fx_base', '--force'])
    result.command.assertSucceeded()
    result.command.assertLogMatches(/Uninstalled "fx_base" \(dropped tables: fx_base_things\)/)
    assert.isFalse(await hasTable('fx_base_things'))
    assert.isFalse(await hasTable('adonis_schema_fx_base'))
    assert.equal(await fixtures.manager.stateOf('fx_base'), 'not_installed')
    const grants = await db.from('role_permissions').whereLike('permission', 'fx_base.%')
    assert.lengthOf(grants, 0)
  })

  test('uninstalling a module that is not installed changes nothing', async () => {
    const result = await run(ModuleUninstall, ['fx_base', '--force'])
    result.command.assertSucceeded()
    result.command.assertLogMatches(/Module "fx_base" is not installed: nothing to uninstall/)
  })
})
