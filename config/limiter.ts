import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'
import { redisEnabled } from '#config/redis'

/** Memory by default (one process); Redis when configured, so limits hold across instances. */
const limiterConfig = defineConfig({
  default: env.get('LIMITER_STORE') ?? (redisEnabled ? 'redis' : 'memory'),
  stores: {
    redis: stores.redis({ connectionName: 'main' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
