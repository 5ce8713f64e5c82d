import { test } from '@japa/runner'

test.group('Health', () => {
  test('live answers ok without setting cookies', async ({ client, assert }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    response.assertBodyContains({ status: 'ok' })
    assert.isUndefined(response.header('set-cookie'))
    assert.isString(response.header('x-request-id'))
  })

  test('ready checks the database', async ({ client, assert }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    const names = response.body().checks.map((c: { name: string }) => c.name)
    assert.isTrue(
      names.some((n: string) => /database|db/i.test(n)),
      names.join(',')
    )
  })
})
