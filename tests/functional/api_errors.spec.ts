import { test } from '@japa/runner'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import testUtils from '@adonisjs/core/services/test_utils'
import { routeTable } from '#kernel/api/route_table'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `POST /api/v1/<module>`: every module's "create a record" route, if it has one. */
function moduleCreateRoutes() {
  return routeTable().filter(
    (e) => e.module && e.pattern === `/api/v1/${e.module}` && e.methods.includes('POST')
  )
}

function assertValidationShape(assert: any, body: any) {
  assert.isArray(body.errors)
  assert.isNotEmpty(body.errors)
  for (const error of body.errors) {
    assert.isString(error.field)
    assert.isString(error.rule)
    assert.isString(error.message)
    assert.isNotEmpty(error.message)
  }
}

test.group('API errors', () => {
  test('invalid input answers 422 { errors: [{ field, rule, message }] }', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const token = await tokenFor(user)

    const empty = await client.post('/api/v1/me/company').bearerToken(token).json({})
    empty.assertStatus(422)
    assertValidationShape(assert, empty.body())
    assert.deepInclude(
      empty.body().errors.map(({ field, rule }: any) => ({ field, rule })),
      { field: 'companyId', rule: 'required' }
    )

    const wrong = await client
      .post('/api/v1/me/company')
      .bearerToken(token)
      .json({ companyId: 'x' })
    wrong.assertStatus(422)
    assertValidationShape(assert, wrong.body())
    assert.equal(wrong.body().errors[0].field, 'companyId')
  })

  test('module API routes that create records answer 422 with the same shape', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    for (const entry of moduleCreateRoutes()) {
      const response = await client.post(entry.pattern).bearerToken(token).json({})
      assert.equal(response.status(), 422, `POST ${entry.pattern} with an empty body`)
      assertValidationShape(assert, response.body())
    }
  }).skip(() => moduleCreateRoutes().length === 0, 'no module has an API route creating records')

  test('the API answers JSON even to a client asking for HTML', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const token = await tokenFor(user)
    const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

    const ok = await client.get('/api/v1/me').bearerToken(token).header('accept', html)
    ok.assertStatus(200)
    assert.match(ok.header('content-type') ?? '', /application\/json/)
    assert.equal(ok.body().data.id, user.id)

    const unauthorized = await client.get('/api/v1/me').header('accept', html).redirects(0)
    unauthorized.assertStatus(401)
    assert.match(unauthorized.header('content-type') ?? '', /application\/json/)
    assert.isArray(unauthorized.body().errors)

    const invalid = await client
      .post('/api/v1/me/company')
      .bearerToken(token)
      .header('accept', html)
      .json({})
      .redirects(0)
    invalid.assertStatus(422)
    assert.match(invalid.header('content-type') ?? '', /application\/json/)
    assertValidationShape(assert, invalid.body())
  })

  test('a company the user is not a member of answers 403 JSON', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const other = await companyWithUser('staff')
    const token = await tokenFor(user)

    const header = await client
      .get('/api/v1/me')
      .bearerToken(token)
      .header('x-company-id', String(other.company.id))
    header.assertStatus(403)
    assert.equal(header.body().errors[0].code, 'E_COMPANY_FORBIDDEN')

    const switched = await client
      .post('/api/v1/me/company')
      .bearerToken(token)
      .json({ companyId: other.company.id })
    switched.assertStatus(403)
    assert.equal(switched.body().errors[0].code, 'E_COMPANY_FORBIDDEN')
  })

  test('an unknown /api/v1 path answers 404 JSON', async ({ client, assert }) => {
    for (const accept of ['application/json', 'text/html', '*/*']) {
      const response = await client.get('/api/v1/no-such-thing/42').header('accept', accept)
      response.assertStatus(404)
      assert.match(response.header('content-type') ?? '', /application\/json/, accept)
      assert.equal(response.body().errors[0].code, 'E_ROUTE_NOT_FOUND')
    }
    const post = await client.post('/api/v1/no-such-thing').json({ a: 1 })
    post.assertStatus(404)
    assert.match(post.header('content-type') ?? '', /application\/json/)
  })
})

test.group('Request id', () => {
  test('every response carries X-Request-Id', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const token = await tokenFor(user)
    const requests: [string, () => Promise<any>][] = [
      ['health', () => client.get('/health/live')],
      ['public API', () => client.get('/api/v1/openapi.json')],
      ['API with a token', () => client.get('/api/v1/me').bearerToken(token)],
      ['API 401', () => client.get('/api/v1/me')],
      ['API 422', () => client.post('/api/v1/me/company').bearerToken(token).json({})],
      ['API 404', () => client.get('/api/v1/no-such-thing')],
      ['page redirect', () => client.get('/').redirects(0)],
      ['page 404', () => client.get('/no-such-page')],
    ]
    const ids: string[] = []
    for (const [label, send] of requests) {
      const response = await send()
      const id = response.header('x-request-id')
      assert.match(id ?? '', UUID, `${label} (${response.status()})`)
      ids.push(id)
    }
    assert.equal(new Set(ids).size, ids.length, 'one id per request')
  })

  test('an incoming X-Request-Id is echoed', async ({ client }) => {
    const id = 'lb-7f3a9c2e-0001'
    const ok = await client.get('/api/v1/openapi.json').header('x-request-id', id)
    ok.assertHeader('x-request-id', id)
    const missing = await client.get('/api/v1/me').header('x-request-id', id)
    missing.assertStatus(401)
    missing.assertHeader('x-request-id', id)
  })

  test('the request logger carries the request id on every line', async ({ assert }) => {
    // The server builds each request's ctx.logger as a child bound to request_id.
    const ctx = await testUtils.createHttpContext()
    assert.match(ctx.request.id()!, UUID)
    assert.equal(ctx.logger.bindings().request_id, ctx.request.id())

    const req = new IncomingMessage(new Socket())
    req.headers['x-request-id'] = 'upstream-42'
    const forwarded = await testUtils.createHttpContext({ req })
    assert.equal(forwarded.request.id(), 'upstream-42')
    assert.equal(forwarded.logger.bindings().request_id, 'upstream-42')
  })
})
