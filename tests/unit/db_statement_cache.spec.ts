import { test } from '@japa/runner'
import Database from 'better-sqlite3'
import { cacheStatements } from '#kernel/db/statement_cache'

function database() {
  const connection = cacheStatements(new Database(':memory:'), 3)
  connection.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)')
  connection.exec("INSERT INTO items (name) VALUES ('a'), ('b'), ('c')")
  return connection
}

test.group('SQLite statement cache', () => {
  test('the same SQL runs on one statement, with each call its own bindings', ({ assert }) => {
    const connection = database()
    const sql = 'SELECT name FROM items WHERE id = ?'
    const first = connection.prepare(sql)
    assert.deepEqual(first.all(1), [{ name: 'a' }])
    const again = connection.prepare(sql)
    assert.strictEqual(again, first)
    assert.deepEqual(again.all(2), [{ name: 'b' }])
    connection.close()
  })

  test('a statement still being iterated is not handed out again', ({ assert }) => {
    const connection = database()
    const sql = 'SELECT id FROM items ORDER BY id'
    const iterator = connection.prepare(sql).iterate()
    assert.deepEqual(iterator.next().value, { id: 1 })
    const other = connection.prepare(sql)
    assert.deepEqual(other.all(), [{ id: 1 }, { id: 2 }, { id: 3 }])
    assert.deepEqual(iterator.next().value, { id: 2 })
    iterator.return!()
    connection.close()
  })

  test('a kept statement starts as a fresh one and follows schema changes', ({ assert }) => {
    const connection = database()
    const sql = 'SELECT * FROM items WHERE id = ?'
    connection.prepare(sql).safeIntegers(true)
    assert.strictEqual(typeof (connection.prepare(sql).get(1) as any).id, 'number')
    connection.exec("ALTER TABLE items ADD COLUMN code TEXT DEFAULT 'x'")
    assert.deepEqual(connection.prepare(sql).get(1), { id: 1, name: 'a', code: 'x' })
    connection.close()
  })

  test('only the most recently used statements are kept', ({ assert }) => {
    const connection = database()
    const texts = [1, 2, 3, 4].map((n) => `SELECT ${n} AS n`)
    const [one, two] = texts.map((sql) => connection.prepare(sql))
    // Capacity 3: the fourth pushed the first out; the second is still there.
    assert.strictEqual(connection.prepare(texts[1]), two)
    assert.notStrictEqual(connection.prepare(texts[0]), one)
    connection.close()
  })
})
