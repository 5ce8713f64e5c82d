import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import {
  routeTable,
  describeRoute,
  PERMISSION_MARKERS,
  type RouteEntry,
} from '#kernel/api/route_table'
import { permissionIndex, isScopable } from '#kernel/security/catalog'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import type User from '#models/user'

/**
 * The automatic permission matrix: every route of the kernel and of every
 * enabled module, read from the router, is called by a member whose role
 * lacks the route's permission (403), and every record route of a module by
 * a member whose scope excludes the record (404, never the data). New routes
 * and new modules are picked up without editing this file.
 *
 * Record routes need a record: each module with record routes provides
 * `tests/factory.ts` in its folder, exporting
 *
 *   createRecord(companyId, ownerId): Promise<{ id: number; text: string }>
 *
 * and, when its record routes serve several kinds of records,
 * `recordFactories: { [routePrefix]: createRecord }` (the longest prefix of a
 * route's pattern wins). `text` is a value the record shows, which a refused
 * answer must not contain.
 */

type Factory = (companyId: number, ownerId: number) => Promise<{ id: number; text: string }>

const isMarker = (permission: string) =>
  (PERMISSION_MARKERS as readonly string[]).includes(permission)

const isApi = (entry: RouteEntry) => entry.pattern.startsWith('/api/')

const SAMPLE_PARAMS = ['1', '00000000-0000-4000-8000-000000000000', 'x']

/**
 * The pattern with every parameter replaced by `value`, or, without one, by
 * a sample its matcher accepts (so the router reaches the route at all).
 */
function urlFor(entry: RouteEntry, value?: string | number) {
  return entry.pattern.replace(/:([A-Za-z0-9_]+)\??|\*/g, (_token, name?: string) => {
    if (value !== undefined) return String(value)
    const match: RegExp | undefined = name ? entry.route.matchers[name]?.match : undefined
    return match ? (SAMPLE_PARAMS.find((v) => match.test(v)) ?? 'x') : '1'
  })
}

/** Routes to check: those declaring a permission key, of the kernel and of enabled modules. */
async function guardedRoutes() {
  const enabled = await moduleManager.enabledSet()
  return routeTable().filter(
    (entry) =>
      entry.permission !== undefined &&
      !isMarker(entry.permission) &&
      (!entry.module || enabled.has(entry.module))
  )
}

/** Calls a route as a member: a Bearer token for the API, a session (and CSRF token) for pages. */
async function call(
  client: any,
  entry: RouteEntry,
  method: string,
  url: string,
  member: { user: User; token: string }
) {
  const request = client.request(url, method).redirects(0)
  if (isApi(entry)) return request.bearerToken(member.token).json({})
  const signedIn = request.loginAs(member.user)
  return method === 'GET' ? signedIn : signedIn.withCsrfToken().json({})
}

const factories = new Map<string, { default?: Factory; byPrefix: Record<string, Factory> }>()

/** The module's test factory for a route, or undefined when the module offers none. */
async function factoryFor(entry: RouteEntry): Promise<Factory | undefined> {
  const name = entry.module!
  if (!factories.has(name)) {
    const folder = registry.folderOf(name)
    const file = ['ts', 'js']
      .map((ext) => `${folder}/tests/factory.${ext}`)
      .find((path) => existsSync(path))
    const loaded = file ? await import(pathToFileURL(file).href) : {}
    factories.set(name, { default: loaded.createRecord, byPrefix: loaded.recordFactories ?? {} })
  }
  const { default: fallback, byPrefix } = factories.get(name)!
  const prefix = Object.keys(byPrefix)
    .filter((p) => entry.pattern.startsWith(p))
    .sort((a, b) => b.length - a.length)[0]
  return prefix ? byPrefix[prefix] : fallback
}

test.group('Permission matrix', () => {
  test('a member whose role lacks a route’s permission gets 403, on every route', async ({
    client,
    assert,
  }) => {
    const routes = await guardedRoutes()
    assert.isAbove(routes.length, 0)
    // Both kinds are covered: pages with a session, the API with a token.
    assert.isTrue(routes.some(isApi))
    assert.isTrue(routes.some((e) => !isApi(e)))

    const { company } = await companyWithUser('admin')
    const declared = [...permissionIndex().keys()]
    const members = new Map<string, { user: User; token: string }>()
    const failures: string[] = []
    for (const entry of routes) {
      const permission = entry.permission!
      if (!members.has(permission)) {
        // Every other permission is granted: only the route's own is missing.
        const { user } = await memberWithGrants(
          company.id,
          declared.filter((key) => key !== permission).map((key) => ({ permission: key }))
        )
        members.set(permission, { user, token: await tokenFor(user) })
      }
      for (const method of entry.methods) {
        const url = urlFor(entry)
        const response = await call(client, entry, method, url, members.get(permission)!)
        if (response.status() !== 403) {
          failures.push(
            `${method} ${url} (${describeRoute(entry)}) without "${permission}": ${response.status()}`
          )
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'))
  }).timeout(300_000)

  test('a member whose scope excludes a record gets 404 on every record route, never the data', async ({
    client,
    assert,
  }) => {
    const routes = (await guardedRoutes()).filter((e) => e.module && /[:*]/.test(e.pattern))
    assert.isAbove(routes.length, 0)

    const { company } = await companyWithUser('admin')
    const owner = await memberOf(company.id, 'staff')
    const index = permissionIndex()
    const byModule = new Map<string, { user: User; token: string }>()
    const missing = new Set<string>()
    const failures: string[] = []

    for (const entry of routes) {
      const module = entry.module!
      const factory = await factoryFor(entry)
      if (!factory) {
        missing.add(module)
        continue
      }
      if (!byModule.has(module)) {
        // Every permission granted, those on records with the scope `own`.
        const grants = [...index.values()].map((p) => ({
          permission: p.key,
          scope: isScopable(p) ? ('own' as const) : ('all' as const),
        }))
        const { user } = await memberWithGrants(company.id, grants)
        byModule.set(module, { user, token: await tokenFor(user) })
      }
      const member = byModule.get(module)!

      for (const method of entry.methods) {
        // Someone else's record: refused as if it did not exist.
        const theirs = await factory(company.id, owner.id)
        const url = urlFor(entry, theirs.id)
        const response = await call(client, entry, method, url, member)
        const label = `${method} ${url} (${describeRoute(entry)})`
        if (response.status() !== 404)
          failures.push(`${label} on another's record: ${response.status()}`)
        if (response.text().includes(theirs.text)) failures.push(`${label} leaked the record`)

        // Their own record, read: served, so the 404 above comes from the scope.
        if (method === 'GET') {
          const mine = await factory(company.id, member.user.id)
          const own = await call(client, entry, method, urlFor(entry, mine.id), member)
          if (own.status() !== 200) {
            failures.push(
              `${method} ${urlFor(entry, mine.id)} on their own record: ${own.status()}`
            )
          }
        }
      }
    }
    assert.deepEqual(
      [...missing],
      [],
      `Modules with record routes and no tests/factory.ts exporting createRecord: ${[...missing].join(', ')}`
    )
    assert.deepEqual(failures, [], failures.join('\n'))
  }).timeout(300_000)
})
