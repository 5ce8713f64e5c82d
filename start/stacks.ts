import { middleware } from '#start/kernel'

/** Middleware every page route runs, before any route-specific one. */
export function webStack() {
  return [
    middleware.session(),
    middleware.keepFlash(),
    middleware.shield(),
    middleware.initializeAuth(),
    middleware.silentAuth(),
    middleware.locale(),
  ]
}

/**
 * Pages that need a signed-in user with a current company (and, when their
 * role there requires it, MFA switched on).
 */
export function webAuthStack() {
  return [
    ...webStack(),
    middleware.auth({ guards: ['web'] }),
    middleware.company(),
    middleware.mfa(),
  ]
}

/** The JSON API: always JSON, Bearer tokens, no session or CSRF. */
export function apiStack() {
  return [
    middleware.json(),
    middleware.initializeAuth(),
    middleware.auth({ guards: ['api'] }),
    // After auth: the API answers in the token owner's language.
    middleware.locale(),
    middleware.company(),
  ]
}

/**
 * Declares the permission a route needs. Every route declares one: a
 * permission key, 'authenticated' (any signed-in member of the company) or
 * 'public'. The route-table test enumerates them.
 */
export function can(permission: string) {
  return middleware.can({ permission })
}
