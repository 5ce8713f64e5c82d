import { readdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { test } from '@japa/runner'
import { routeTable, describeRoute } from '#kernel/api/route_table'
import { RESERVED_MODULE_NAMES } from '#kernel/modules/scaffold'

test.group('Module names', () => {
  test('make:module reserves the first path segment of every kernel route', ({ assert }) => {
    // A module's pages mount at /<name>: a module named like a kernel path would clash with it.
    const kernelRoutes = routeTable().filter((entry) => !entry.module)
    assert.isAbove(kernelRoutes.length, 0)
    for (const entry of kernelRoutes) {
      const segment = entry.pattern.split('/')[1]
      if (!segment || segment.startsWith(':')) continue
      assert.include(
        RESERVED_MODULE_NAMES,
        segment,
        `${describeRoute(entry)}: add "${segment}" to RESERVED_MODULE_NAMES`
      )
    }
  })

  test('make:module reserves the name of every kernel translation file', async ({ assert }) => {
    // A module's texts are its `<name>.<key>` namespace: a module named like a kernel file would
    // mix its texts with the kernel's.
    const files = await readdir(app.languageFilesPath('fr'))
    const namespaces = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
    assert.isAbove(namespaces.length, 0)
    for (const namespace of namespaces) {
      assert.include(
        RESERVED_MODULE_NAMES,
        namespace,
        `resources/lang/fr/${namespace}.json: add "${namespace}" to RESERVED_MODULE_NAMES`
      )
    }
  })
})
