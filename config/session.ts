import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/session'
import { secureCookies } from '#config/app'
import { redisEnabled } from '#config/redis'
import { databaseSessions } from '#kernel/users/session_store'

/**
 * Sessions live server-side (database by default, Redis when configured):
 * the cookie carries only a signed id, sessions can be revoked, and a
 * request does not re-encrypt the whole session into a cookie.
 */
/** Where sessions live: SESSION_DRIVER, else Redis when configured, else the database. */
export const sessionStore = env.get('SESSION_DRIVER') ?? (redisEnabled ? 'redis' : 'database')

const sessionConfig = defineConfig({
  enabled: true,
  // The `__Host-` prefix requires Secure, a path of / and no domain.
  cookieName: secureCookies ? '__Host-charpente-session' : 'charpente-session',
  clearWithBrowser: false,
  age: '8h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: secureCookies,
    sameSite: 'lax',
  },
  store: sessionStore,
  stores: {
    database: databaseSessions({ tableName: 'sessions', gcProbability: 1 }),
    redis: stores.redis({ connection: 'sessions' }),
  },
})

export default sessionConfig
