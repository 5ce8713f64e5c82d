/**
 * Prepared statements kept per SQLite connection. Knex prepares every query
 * afresh (better-sqlite3's `prepare`), which was the largest single cost of a
 * list request on SQLite (compiling the same SQL text again and again); a
 * statement can be run any number of times with new bindings, so each
 * connection keeps the last STATEMENT_CACHE_SIZE distinct SQL texts it
 * prepared. SQLite recompiles a kept statement itself when the schema changes.
 */

export const STATEMENT_CACHE_SIZE = 500

interface Statement {
  busy: boolean
  safeIntegers(toggle?: boolean): Statement
}

interface SqliteConnection {
  prepare(sql: string): Statement
}

/** Makes `connection.prepare` reuse statements; returns the connection. */
export function cacheStatements<C extends SqliteConnection>(
  connection: C,
  size = STATEMENT_CACHE_SIZE
): C {
  const prepare = connection.prepare.bind(connection)
  const kept = new Map<string, Statement>()
  connection.prepare = (sql: string) => {
    const statement = kept.get(sql)
    // A statement still being iterated cannot run again: prepare another.
    if (statement && !statement.busy) {
      // Most recently used last, so the oldest is the first to go.
      kept.delete(sql)
      kept.set(sql, statement)
      // As a fresh statement is (knex sets it only for queries asking for it)
      return statement.safeIntegers(false)
    }
    const fresh = prepare(sql)
    if (!statement) {
      kept.set(sql, fresh)
      if (kept.size > size) kept.delete(kept.keys().next().value!)
    }
    return fresh
  }
  return connection
}
