import { test } from '@japa/runner'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import { compile } from 'svelte/compiler'
import * as prettier from 'prettier'
import MakeModule from '../../app/commands/make_module.js'
import { validateManifest } from '#kernel/modules/manifest'
import { moduleFolders } from '#kernel/modules/paths'
import { moduleSkeleton } from '#kernel/modules/scaffold'

/** Generated modules go to a folder of this run under tmp/ (inside the project, so imports resolve). */
const root = app.makePath('tmp', `make-module-${process.pid}`)

async function makeModule(name: string) {
  const command = await ace.create(MakeModule, [name])
  command.modulesRoot = root
  command.ui.logger.flushLogs()
  await command.exec()
  const logs = command.ui.logger.getLogs() as { message: string; stream: string }[]
  return { command, stderr: logs.filter((l) => l.stream === 'stderr').map((l) => l.message) }
}

function importFile(path: string) {
  return import(pathToFileURL(path).href)
}

test.group('make:module', (group) => {
  group.setup(() => {
    ace.ui.switchMode('raw')
    mkdirSync(root, { recursive: true })
    return () => {
      rmSync(root, { recursive: true, force: true })
      ace.ui.switchMode('normal')
    }
  })

  test('generates a module whose manifest, routes, code and page load', async ({ assert }) => {
    const { command } = await makeModule('fleet-cars')
    command.assertSucceeded()
    const folder = join(root, 'fleet-cars')
    for (const path of [
      'module.ts',
      'index.ts',
      'routes.ts',
      'controllers/items_controller.ts',
      'models/item.ts',
      'database/migrations/1000_create_fleet_cars_items_table.ts',
      'pages/index.svelte',
      'lang/fr/fleet-cars.json',
      'lang/en/fleet-cars.json',
      'README.md',
      'tests/functional/fleet_cars_items.spec.ts',
    ]) {
      assert.isTrue(existsSync(join(folder, path)), path)
    }

    const manifest = validateManifest(
      (await importFile(join(folder, 'module.ts'))).default,
      'fleet-cars'
    )
    assert.deepEqual(manifest.permissions, [
      {
        key: 'fleet-cars.item.read',
        label: { fr: 'Voir les éléments', en: 'View items' },
        defaults: ['admin', 'manager', 'staff'],
      },
    ])
    assert.deepEqual(
      manifest.menu?.map((m) => [m.href, m.permission]),
      [['/fleet-cars', 'fleet-cars.item.read']]
    )
    const routes = (await manifest.routes!()).default
    assert.isFunction(routes.web)
    assert.isFunction(routes.api)

    const migration = (
      await importFile(join(folder, 'database/migrations/1000_create_fleet_cars_items_table.ts'))
    ).default
    assert.equal(new migration({} as any, '', false).tableName, 'fleet_cars_items')
    assert.isFunction((await importFile(join(folder, 'controllers/items_controller.ts'))).default)
    assert.equal(
      (await importFile(join(folder, 'models/item.ts'))).default.table,
      'fleet_cars_items'
    )
    assert.property(await importFile(join(folder, 'index.ts')), 'FLEET_CARS_PERMISSIONS')

    const page = readFileSync(join(folder, 'pages/index.svelte'), 'utf8')
    assert.include(page, "import AppLayout from '~/layouts/AppLayout.svelte'")
    assert.doesNotThrow(() => compile(page, { filename: 'index.svelte' }))

    for (const path of Object.keys(moduleSkeleton('fleet-cars'))) {
      const file = join(folder, path)
      const options = (await prettier.resolveConfig(file)) ?? {}
      assert.isTrue(
        await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }),
        `${path} follows the project's Prettier style`
      )
    }

    const fr = JSON.parse(readFileSync(join(folder, 'lang/fr/fleet-cars.json'), 'utf8'))
    const en = JSON.parse(readFileSync(join(folder, 'lang/en/fleet-cars.json'), 'utf8'))
    assert.deepEqual(Object.keys(fr), Object.keys(en))
    for (const key of page.matchAll(/t\('fleet-cars\.(\w+)'\)/g)) assert.property(fr, key[1])
  })

  test('the migration creates the table with company, owner, team and timestamps', ({ assert }) => {
    const migration =
      moduleSkeleton('stock')['database/migrations/1000_create_stock_items_table.ts']
    for (const column of ['company_id', 'owner_id', 'team_id', 'created_at', 'updated_at']) {
      assert.include(migration, `'${column}'`)
    }
  })

  test('refuses invalid names in one line', async ({ assert }) => {
    const cases: [string, string][] = [
      [
        'Stock',
        'Invalid module name "Stock": use lowercase letters, digits, "-" or "_", starting with a letter',
      ],
      [
        '9lives',
        'Invalid module name "9lives": use lowercase letters, digits, "-" or "_", starting with a letter',
      ],
      [
        '../evil',
        'Invalid module name "../evil": use lowercase letters, digits, "-" or "_", starting with a letter',
      ],
      ['api', 'Invalid module name "api": it is reserved by the kernel'],
      ['a'.repeat(41), `Invalid module name "${'a'.repeat(41)}": at most 40 characters`],
    ]
    for (const [name, message] of cases) {
      const { command, stderr } = await makeModule(name)
      command.assertFailed()
      assert.lengthOf(stderr, 1, name)
      assert.include(stderr[0], message)
    }
  })

  test('refuses a folder that already exists and leaves it alone', async ({ assert }) => {
    mkdirSync(join(root, 'taken'))
    const { command, stderr } = await makeModule('taken')
    command.assertFailed()
    assert.lengthOf(stderr, 1)
    assert.match(stderr[0], /Cannot create module "taken": .*taken already exists/)
    assert.isFalse(existsSync(join(root, 'taken', 'module.ts')))
  })

  test('leaves nothing in modules/', ({ assert }) => {
    assert.notIncludeMembers(moduleFolders(), ['fleet-cars', 'taken'])
  })
})
