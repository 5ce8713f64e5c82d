import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { configProvider } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { redisEnabled } from '#config/redis'

const reason = 'REDIS_HOST is not set: Redis-backed paths run in the PostgreSQL + Redis pass'

/*
 * The suite keeps memory sessions (.env.test) so requests stay independent;
 * these tests drive the Redis-backed parts directly, against a real Redis,
 * whenever REDIS_HOST is set.
 */
test.group('Redis, when configured', () => {
  test('readiness checks Redis', async ({ client, assert }) => {
    // Only the Redis check: disk and heap checks depend on the machine.
    const response = await client.get('/health/ready')
    const checks = response.body().checks as { name: string; status: string; message: string }[]
    const redisCheck = checks.find((check) => /redis/i.test(check.name))
    assert.exists(redisCheck, checks.map((check) => check.name).join(', '))
    assert.equal(redisCheck!.status, 'ok', redisCheck!.message)
  }).skip(!redisEnabled, reason)

  test('the configured Redis session store keeps, tags and forgets a session', async ({
    assert,
  }) => {
    const config = await configProvider.resolve<any>(app, app.config.get('session'))
    const ctx = await testUtils.createHttpContext()
    const store = await config.stores.redis(ctx, config)
    const id = randomUUID()
    const userId = `test-${randomUUID()}`

    await store.write(id, { locale: 'fr', cart: [1, 2] })
    assert.deepEqual(await store.read(id), { locale: 'fr', cart: [1, 2] })

    await store.tag(id, userId)
    const tagged = await store.tagged(userId)
    assert.deepEqual(
      tagged.map((session: { id: string }) => session.id),
      [id]
    )

    await store.destroy(id)
    assert.isNull(await store.read(id))
    assert.lengthOf(await store.tagged(userId), 0)
  }).skip(!redisEnabled, reason)
})
