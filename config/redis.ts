import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * Redis is optional. When REDIS_HOST is set, sessions, cache, limiter and
 * locks move to it (see their configs); connections open lazily on first use.
 */
export const redisEnabled = Boolean(env.get('REDIS_HOST'))

const server = {
  host: env.get('REDIS_HOST') || '127.0.0.1',
  port: env.get('REDIS_PORT', 6379),
  password: env.get('REDIS_PASSWORD', ''),
  db: env.get('REDIS_DB', 0),
  lazyConnect: true,
  retryStrategy(times: number) {
    return times > 10 ? null : times * 50
  },
}

/** Every session key (the sessions and each user's tag set) starts with this. */
export const SESSION_KEY_PREFIX = 'charpente:session:'

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: { ...server, keyPrefix: 'charpente:' },
    // Sessions get a namespace of their own, so they can be counted or
    // cleared (e.g. "sign everyone out") without touching cache or locks.
    sessions: { ...server, keyPrefix: SESSION_KEY_PREFIX },
    // The job queue builds its own keys inside Lua scripts, which a client
    // key prefix would not reach: it gets a connection without one.
    queue: { ...server },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
