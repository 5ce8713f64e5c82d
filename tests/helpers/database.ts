import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { sessionStore } from '#config/session'
import { SESSION_KEY_PREFIX, redisEnabled } from '#config/redis'
import env from '#start/env'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import { migrateKernel } from '#services/prepare'
import { ensureBuiltinRoles } from '#kernel/security/roles'
import { moduleSchemaTable } from '#kernel/modules/paths'

/** Drops everything and rebuilds: kernel migrated, every module on disk enabled. */
export async function resetDatabase() {
  const connection = db.connection()
  if (connection.dialect.name === 'postgres') {
    await connection.rawQuery('DROP SCHEMA IF EXISTS public CASCADE')
    await connection.rawQuery('CREATE SCHEMA public')
  } else {
    await connection.rawQuery('PRAGMA foreign_keys = OFF')
    const tables = await connection.rawQuery(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (const { name } of tables) await connection.rawQuery(`DROP TABLE IF EXISTS "${name}"`)
    await connection.rawQuery('PRAGMA foreign_keys = ON')
  }
  await migrateKernel()
  await ensureBuiltinRoles()
  for (const manifest of registry.all()) {
    await moduleManager.enable(manifest.name, { withDependencies: true }).catch((error) => {
      // Already enabled as a dependency of an earlier module.
      if (!String(error.message).includes('already')) throw error
    })
  }
  await moduleManager.refresh()
  void moduleSchemaTable
  await clearRedisSessions()
  await clearRedisLimits()
}

/**
 * Throttling counters in Redis outlive a run too: the per-address counter of
 * 127.0.0.1 left by an earlier run would refuse this run's first sign-ins.
 */
async function clearRedisLimits() {
  if (!redisEnabled || (env.get('LIMITER_STORE') ?? 'redis') !== 'redis') return
  const connection = redis.connection('main')
  const prefix = 'charpente:'
  let cursor = '0'
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}rlflx*`)
    cursor = next
    if (keys.length) await connection.del(...keys.map((key) => key.slice(prefix.length)))
  } while (cursor !== '0')
}

/**
 * Sessions in Redis outlive the database: user ids start again at 1 after a
 * reset, and a user's tag set would still list an earlier run's sessions.
 */
async function clearRedisSessions() {
  if (sessionStore !== 'redis') return
  const connection = redis.connection('sessions')
  // SCAN patterns and results carry the full key; DEL adds the prefix itself.
  let cursor = '0'
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${SESSION_KEY_PREFIX}*`)
    cursor = next
    if (keys.length)
      await connection.del(...keys.map((key) => key.slice(SESSION_KEY_PREFIX.length)))
  } while (cursor !== '0')
}
