import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { randomUUID } from 'node:crypto'
import { databaseSessions, SESSION_TOUCH_INTERVAL_MS } from '#kernel/users/session_store'

const AGE_MS = 8 * 3_600_000

/** A store as a request gets it (one per request). */
async function store() {
  const factory = await databaseSessions({ tableName: 'sessions' }).resolver(app)
  return factory({} as any, { age: '8h' } as any)
}

async function expiresAt(id: string) {
  const row = await db.from('sessions').where('id', id).select('expires_at').first()
  return row ? new Date(row.expires_at).getTime() : null
}

async function setExpiry(id: string, at: number) {
  await db
    .from('sessions')
    .where('id', id)
    .update({ expires_at: new Date(at) })
}

test.group('Database sessions', (group) => {
  group.each.teardown(async () => {
    await db.from('sessions').delete()
  })

  test('an unchanged session is touched at most once a minute', async ({ assert }) => {
    const id = randomUUID()
    await (await store()).write(id, { userId: 7 })
    const written = (await expiresAt(id))!
    assert.approximately(written, Date.now() + AGE_MS, 10_000)

    // A request a moment later: read, nothing changed, no write.
    const soon = await store()
    assert.deepEqual(await soon.read(id), { userId: 7 })
    await setExpiry(id, written - 30_000)
    const later = await store()
    await later.read(id)
    await later.touch(id)
    assert.equal(await expiresAt(id), written - 30_000)

    // Its expiry more than a minute behind a fresh one: moved on.
    await setExpiry(id, Date.now() + AGE_MS - SESSION_TOUCH_INTERVAL_MS - 5_000)
    const next = await store()
    await next.read(id)
    await next.touch(id)
    assert.approximately((await expiresAt(id))!, Date.now() + AGE_MS, 10_000)
  })

  test('a destroyed or expired session is gone at the next request', async ({ assert }) => {
    const ended = randomUUID()
    const expired = randomUUID()
    const first = await store()
    await first.write(ended, { userId: 7 })
    await first.write(expired, { userId: 8 })
    assert.deepEqual(await (await store()).read(ended), { userId: 7 })

    await (await store()).destroy(ended)
    assert.isNull(await (await store()).read(ended))

    await setExpiry(expired, Date.now() - 1_000)
    assert.isNull(await (await store()).read(expired))
    assert.isNull(await expiresAt(expired))
  })

  test('a row whose data does not verify is no session', async ({ assert }) => {
    const id = randomUUID()
    await (await store()).write(id, { userId: 7 })
    await db.from('sessions').where('id', id).update({ data: 'tampered' })
    assert.isNull(await (await store()).read(id))
  })
})
