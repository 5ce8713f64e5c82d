import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import type { ConnectionConfig } from '@adonisjs/lucid/types/database'
import {
  moduleConnectionName,
  moduleFolders,
  moduleSchemaTable,
} from '../app/kernel/modules/paths.js'
import { cacheStatements } from '../app/kernel/db/statement_cache.js'

/**
 * One primary connection (SQLite embedded default, or PostgreSQL), plus one
 * alias of it per module on disk. Each alias carries only that module's
 * migration folder and its own schema table, so a module's migrations run,
 * and roll back, on their own (Lucid's migrator takes its paths from the
 * connection config). Aliases point at the same database: tables land side
 * by side and foreign keys to kernel tables work.
 */
const primary = (env.get('DB_CONNECTION') ?? 'sqlite') as 'sqlite' | 'pg'

function baseConnection(): ConnectionConfig {
  if (primary === 'pg') {
    return {
      client: 'pg',
      connection: {
        host: env.get('DB_HOST', '127.0.0.1'),
        port: env.get('DB_PORT', 5432),
        user: env.get('DB_USER', 'postgres'),
        password: env.get('DB_PASSWORD', ''),
        database: env.get('DB_DATABASE', 'charpente'),
      },
      pool: { min: 0, max: 10 },
    }
  }
  return {
    client: 'better-sqlite3',
    connection: { filename: app.makePath(env.get('SQLITE_FILE', 'tmp/charpente.sqlite3')) },
    useNullAsDefault: true,
    pool: {
      /**
       * Write-ahead log: readers no longer wait for a writer, and with
       * synchronous = NORMAL a commit does not wait for the disk (still
       * durable across application crashes; only an OS crash may lose the
       * last commits). busy_timeout lets the module connections' handles
       * wait for the primary's write lock instead of failing at once.
       * Statements are prepared once per connection (see statement_cache).
       */
      afterCreate(connection: any, done: (error: Error | null, connection: any) => void) {
        cacheStatements(connection)
        connection.pragma('journal_mode = WAL')
        connection.pragma('synchronous = NORMAL')
        connection.pragma('busy_timeout = 5000')
        done(null, connection)
      },
    },
  }
}

const connections: Record<string, ConnectionConfig> = {
  [primary]: {
    ...baseConnection(),
    migrations: { naturalSort: true, paths: ['database/migrations'] },
    seeders: { paths: ['database/seeders'] },
  } as ConnectionConfig,
}

for (const name of moduleFolders()) {
  connections[moduleConnectionName(name)] = {
    ...baseConnection(),
    // A module connection only runs migrations: keep its pool small.
    ...(primary === 'pg' ? { pool: { min: 0, max: 2 } } : {}),
    migrations: {
      naturalSort: true,
      paths: [`modules/${name}/database/migrations`],
      tableName: moduleSchemaTable(name),
    },
  } as ConnectionConfig
}

const dbConfig = defineConfig({
  connection: primary,
  connections,
})

export default dbConfig
