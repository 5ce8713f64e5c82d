import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'

/**
 * Names of the named middleware (start/kernel.ts) the route table reads: `can`
 * carries the permission a route declares, `module` the module gate that puts
 * a route under a module.
 */
export const PERMISSION_MIDDLEWARE = 'can'
export const MODULE_GATE_MIDDLEWARE = 'module'

/** Permission markers that are not permission keys (see `can()` in start/stacks.ts). */
export const PERMISSION_MARKERS = ['public', 'authenticated'] as const

export interface RouteEntry {
  route: RouteJSON
  domain: string
  /** The route's methods, without the HEAD that AdonisJS adds to every GET */
  methods: string[]
  pattern: string
  name?: string
  /** Every `can()` declared on the route, outermost group first */
  permissions: string[]
  /**
   * The permission the route needs: its innermost permission key, else
   * 'authenticated', else 'public'; undefined when it declares none.
   */
  permission?: string
  /** The module whose gate guards the route; undefined for kernel routes */
  module?: string
}

function namedArgs(route: RouteJSON, name: string): any[] {
  const args: any[] = []
  for (const entry of route.middleware.all()) {
    if (typeof entry === 'object' && entry.name === name && 'args' in entry) args.push(entry.args)
  }
  return args
}

function effectivePermission(permissions: string[]): string | undefined {
  const keys = permissions.filter((p) => !(PERMISSION_MARKERS as readonly string[]).includes(p))
  if (keys.length) return keys[keys.length - 1]
  if (permissions.includes('authenticated')) return 'authenticated'
  if (permissions.includes('public')) return 'public'
  return undefined
}

/**
 * Every route the router holds, with the permission and module it declares.
 * The router is committed once at boot, so this reads the final table.
 */
export function routeTable(): RouteEntry[] {
  const entries: RouteEntry[] = []
  for (const [domain, routes] of Object.entries(router.toJSON())) {
    for (const route of routes) {
      const permissions = namedArgs(route, PERMISSION_MIDDLEWARE)
        .map((args) => args?.permission)
        .filter((p): p is string => typeof p === 'string')
      const gate = namedArgs(route, MODULE_GATE_MIDDLEWARE).find((args) => args?.name)
      const methods = route.methods.filter((m) => m !== 'HEAD')
      entries.push({
        route,
        domain,
        methods: methods.length ? methods : route.methods,
        pattern: route.pattern,
        name: route.name,
        permissions,
        permission: effectivePermission(permissions),
        module: gate?.name,
      })
    }
  }
  return entries
}

/** How a route is named in messages: `GET /api/v1/me (api.me)`. */
export function describeRoute(entry: RouteEntry) {
  const where = entry.domain === 'root' ? '' : `${entry.domain} `
  return `${entry.methods.join('|')} ${where}${entry.pattern}${entry.name ? ` (${entry.name})` : ''}`
}
