import env from '#start/env'
import { defineConfig, store, drivers } from '@adonisjs/cache'
import { redisEnabled } from '#config/redis'

/**
 * Memory by default; with Redis configured (or CACHE_DRIVER=redis) a shared
 * Redis L2 with a bus that keeps every instance's memory L1 in step.
 */
const useRedis = (env.get('CACHE_DRIVER') ?? (redisEnabled ? 'redis' : 'memory')) === 'redis'

const cacheConfig = defineConfig({
  default: 'default',
  stores: {
    default: useRedis
      ? store()
          .useL1Layer(drivers.memory({ maxSize: '50mb' }))
          .useL2Layer(drivers.redis({ connectionName: 'main' }))
          .useBus(drivers.redisBus({ connectionName: 'main' }))
      : store().useL1Layer(drivers.memory({ maxSize: '50mb' })),
  },
})

export default cacheConfig

declare module '@adonisjs/cache/types' {
  interface CacheStores extends InferStores<typeof cacheConfig> {}
}
