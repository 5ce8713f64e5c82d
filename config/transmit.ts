import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { redis } from '@adonisjs/transmit/transports/redis'
import { redisEnabled } from '#config/redis'

/**
 * Live notifications over server-sent events. Alone, a process pushes to the
 * browsers connected to it; with Redis, every message goes through a Redis
 * channel, so a notification raised on any instance (or in a command or a
 * job) reaches the browser whichever instance it is connected to. The
 * channel name carries the Redis database number: sites sharing a Redis
 * server on different databases do not hear each other (pub/sub ignores
 * the database).
 */
export default defineConfig({
  // Keeps idle streams open through proxies that cut silent connections.
  pingInterval: '25s',
  transport: redisEnabled
    ? {
        driver: redis({
          host: env.get('REDIS_HOST') || '127.0.0.1',
          port: env.get('REDIS_PORT', 6379),
          password: env.get('REDIS_PASSWORD', '') || undefined,
          db: env.get('REDIS_DB', 0),
        }),
        channel: `charpente:${env.get('REDIS_DB', 0)}:transmit`,
      }
    : null,
})
