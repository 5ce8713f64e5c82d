import { HealthChecks, DiskSpaceCheck, MemoryHeapCheck } from '@adonisjs/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled } from '#config/redis'

/** Readiness: the database always, Redis when configured. */
export const healthChecks = new HealthChecks().register([
  // Only a nearly full disk makes the site unable to serve (SQLite, uploads).
  new DiskSpaceCheck().warnWhenExceeds(90).failWhenExceeds(98),
  // Relative to the heap limit: a busy process may legitimately use a few hundred MB.
  new MemoryHeapCheck().warnWhenExceedsPercentage(80).failWhenExceedsPercentage(95),
  new DbCheck(db.connection()),
  ...(redisEnabled ? [new RedisCheck(redis.connection())] : []),
])
