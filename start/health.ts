import { HealthChecks, DiskSpaceCheck, MemoryHeapCheck } from '@adonisjs/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled } from '#config/redis'

/** Readiness: the database always, Redis when configured. */
export const healthChecks = new HealthChecks().register([
  new DiskSpaceCheck(),
  new MemoryHeapCheck(),
  new DbCheck(db.connection()),
  ...(redisEnabled ? [new RedisCheck(redis.connection())] : []),
])
