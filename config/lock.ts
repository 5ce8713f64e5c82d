import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/lock'
import { redisEnabled } from '#config/redis'

/** Memory by default (one process); Redis when configured, so a lock holds across instances. */
const lockConfig = defineConfig({
  default: env.get('LOCK_STORE') ?? (redisEnabled ? 'redis' : 'memory'),
  stores: {
    redis: stores.redis({ connectionName: 'main' }),
    memory: stores.memory(),
  },
})

export default lockConfig

declare module '@adonisjs/lock/types' {
  export interface LockStoresList extends InferLockStores<typeof lockConfig> {}
}
