import { test } from '@japa/runner'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import {
  routeTable,
  describeRoute,
  PERMISSION_MARKERS,
  type RouteEntry,
} from '#kernel/api/route_table'

/**
 * The route table, read from the router itself: these tests pick up every
 * route a new module adds without being edited.
 */

const SAMPLE_PARAMS = ['1', '00000000-0000-4000-8000-000000000000', 'x']

/** A concrete URL for a route pattern, with parameter values its matchers accept. */
function urlFor(entry: RouteEntry) {
  return entry.pattern.replace(/:([A-Za-z0-9_]+)\??|\*/g, (token, name?: string) => {
    const match: RegExp | undefined = name ? entry.route.matchers[name]?.match : undefined
    return match ? (SAMPLE_PARAMS.find((v) => match.test(v)) ?? 'x') : token === '*' ? 'x' : '1'
  })
}

const isMarker = (permission: string) =>
  (PERMISSION_MARKERS as readonly string[]).includes(permission)

/** Enabled modules that depend on `name`, directly or not, dependents first. */
async function enabledDependents(name: string) {
  const enabled = await moduleManager.enabledSet()
  const found = new Set<string>()
  const walk = (n: string) => {
    for (const dependent of registry.dependentsOf(n)) {
      if (!found.has(dependent.name)) {
        found.add(dependent.name)
        walk(dependent.name)
      }
    }
  }
  walk(name)
  return registry
    .all()
    .filter((m) => found.has(m.name) && enabled.has(m.name))
    .map((m) => m.name)
    .reverse()
}

test.group('Route table: permissions', () => {
  test('every route declares its permission with can()', ({ assert }) => {
    const routes = routeTable()
    assert.isAbove(routes.length, 0)
    const undeclared = routes.filter((e) => !e.permission).map(describeRoute)
    assert.deepEqual(undeclared, [], `Routes without can(): ${undeclared.join(', ')}`)
  })

  test('a public route declares no other permission', ({ assert }) => {
    const mixed = routeTable()
      .filter((e) => e.permissions.includes('public') && e.permissions.length > 1)
      .map((e) => `${describeRoute(e)} [${e.permissions.join(', ')}]`)
    assert.deepEqual(mixed, [], `Public routes that also declare permissions: ${mixed.join(', ')}`)
  })

  test('every permission key is declared by the kernel or a module manifest', ({ assert }) => {
    const declared = new Map(registry.permissions().map((p) => [p.key, p.module]))
    const unknown: string[] = []
    const foreign: string[] = []
    for (const entry of routeTable()) {
      for (const key of entry.permissions.filter((p) => !isMarker(p))) {
        const owner = declared.get(key)
        if (!owner) {
          unknown.push(`${describeRoute(entry)} needs "${key}"`)
          continue
        }
        // A module's routes check the kernel's permissions, their own, or those
        // of a module they build on.
        if (entry.module) {
          const manifest = registry.get(entry.module)
          const allowed = [
            'kernel',
            manifest.name,
            ...(manifest.depends ?? []),
            ...(manifest.integrates ?? []),
          ]
          if (!allowed.includes(owner)) {
            foreign.push(`${describeRoute(entry)} needs "${key}" of unrelated module "${owner}"`)
          }
        }
      }
    }
    assert.deepEqual(unknown, [], `Undeclared permission keys: ${unknown.join('; ')}`)
    assert.deepEqual(foreign, [], foreign.join('; '))
  })

  test('every non-public /api/v1 route answers 401 JSON without a token', async ({
    client,
    assert,
  }) => {
    const routes = routeTable().filter(
      (e) => e.pattern.startsWith('/api/v1/') && e.permission !== 'public'
    )
    assert.isAbove(routes.length, 0)
    for (const entry of routes) {
      for (const method of entry.methods) {
        const response = await client.request(urlFor(entry), method).accept('json')
        const label = `${method} ${urlFor(entry)} (${describeRoute(entry)})`
        assert.equal(response.status(), 401, label)
        assert.match(response.header('content-type') ?? '', /application\/json/, label)
        assert.isArray(response.body().errors, label)
        assert.isUndefined(response.header('set-cookie'), `${label} sets no cookie`)
      }
    }
  })

  test('public /api/v1 routes answer without a token', async ({ client, assert }) => {
    const routes = routeTable().filter(
      (e) =>
        e.pattern.startsWith('/api/v1/') && e.permission === 'public' && !/[:*]/.test(e.pattern)
    )
    for (const entry of routes.filter((e) => e.methods.includes('GET'))) {
      const response = await client.get(entry.pattern)
      assert.equal(response.status(), 200, describeRoute(entry))
    }
  })
})

test.group('Route table: disabled modules', () => {
  test('every module route answers 404 while its module is disabled', async ({
    client,
    assert,
  }) => {
    const byModule = new Map<string, RouteEntry[]>()
    for (const entry of routeTable().filter((e) => e.module)) {
      byModule.set(entry.module!, [...(byModule.get(entry.module!) ?? []), entry])
    }
    // Every module route is guarded by its module's gate and belongs to a module on disk.
    for (const name of byModule.keys()) assert.isTrue(registry.has(name), name)
    for (const entry of routeTable().filter((e) => !e.module)) {
      const owner = registry
        .all()
        .find(
          (m) =>
            entry.pattern.startsWith(`/${m.name}/`) ||
            entry.pattern === `/${m.name}` ||
            entry.pattern.startsWith(`/api/v1/${m.name}/`) ||
            entry.pattern === `/api/v1/${m.name}`
        )
      assert.isUndefined(owner?.name, `${describeRoute(entry)} has no module gate`)
    }

    for (const [name, entries] of byModule) {
      const before = await moduleManager.enabledSet()
      assert.isTrue(before.has(name), `${name} is enabled before the test`)
      const dependents = await enabledDependents(name)

      const disabled: string[] = []
      try {
        for (const module of [...dependents, name]) {
          try {
            await moduleManager.disable(module)
            disabled.push(module)
          } catch (error) {
            // Only a dependency refusal is acceptable here, and dependents go first.
            assert.match((error as Error).message, /depends? on it and (is|are) enabled/)
            throw error
          }
        }
        for (const entry of entries) {
          for (const method of entry.methods) {
            const response = await client.request(urlFor(entry), method).accept('json')
            assert.equal(
              response.status(),
              404,
              `${method} ${urlFor(entry)} while "${name}" is disabled (${describeRoute(entry)})`
            )
          }
        }
        // The kernel keeps answering.
        const live = await client.get('/health/live')
        live.assertStatus(200)
      } finally {
        for (const module of disabled.reverse()) await moduleManager.enable(module)
      }

      const after = await moduleManager.enabledSet()
      for (const module of [...dependents, name])
        assert.isTrue(after.has(module), `${module} re-enabled`)
      const apiGet = entries.find(
        (e) => e.pattern.startsWith('/api/v1/') && e.methods.includes('GET')
      )
      if (apiGet) {
        const response = await client.get(urlFor(apiGet))
        assert.equal(response.status(), 401, `${describeRoute(apiGet)} is served again`)
      }
    }
  })
})
