import { test } from '@japa/runner'
import registry from '#kernel/modules/registry'
import { routeTable } from '#kernel/api/route_table'
import { docOf } from '#kernel/api/docs'
import { openApiPath } from '#kernel/api/openapi'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'patch', 'trace']

/** Every `$ref` in a JSON value. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refs(item, found))
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child)
      else refs(child, found)
    }
  }
  return found
}

function resolve(doc: any, ref: string) {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}

test.group('OpenAPI document', () => {
  test('is an OpenAPI 3.1 document of the /api/v1 routes', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /application\/json/)
    assert.isUndefined(response.header('set-cookie'))

    const doc = response.body()
    assert.match(doc.openapi, /^3\.1\.\d+$/)
    assert.isString(doc.info.title)
    assert.match(doc.info.version, /^\d+\.\d+\.\d+/)
    assert.deepEqual(doc.components.securitySchemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      description: doc.components.securitySchemes.bearer.description,
    })

    const me = doc.paths['/api/v1/me']?.get
    assert.exists(me, '/api/v1/me is documented')
    assert.equal(me['x-permission'], 'authenticated')
    assert.deepEqual(me.security, [{ bearer: [] }])
    assert.deepEqual(me.tags, ['kernel'])
    assert.equal(me.responses['401'].$ref, '#/components/responses/Unauthorized')
    assert.equal(me.responses['403'].$ref, '#/components/responses/Forbidden')
    assert.property(me.responses['200'].content['application/json'].schema.properties, 'data')

    const self = doc.paths['/api/v1/openapi.json'].get
    assert.equal(self['x-permission'], 'public')
    assert.deepEqual(self.security, [])
  })

  test('a documented route carries its validator as the request body schema', async ({
    client,
    assert,
  }) => {
    const doc = (await client.get('/api/v1/openapi.json')).body()
    const operation = doc.paths['/api/v1/me/company'].post
    const schema = operation.requestBody.content['application/json'].schema
    assert.equal(schema.type, 'object')
    assert.deepInclude(schema.properties.companyId, { type: 'integer' })
    assert.include(schema.required, 'companyId')
    assert.equal(operation.responses['422'].$ref, '#/components/responses/ValidationFailed')
    assert.equal(
      operation.responses['403'].content['application/json'].schema.$ref,
      '#/components/schemas/Error'
    )

    const validation = resolve(doc, '#/components/schemas/ValidationError')
    assert.sameMembers(validation.properties.errors.items.required, ['field', 'rule', 'message'])
  })

  test('lists every /api/v1 route with its permission and module', async ({ client, assert }) => {
    const doc = (await client.get('/api/v1/openapi.json')).body()
    const modules = new Set(registry.all().map((m) => m.name))
    const api = routeTable().filter((e) => e.pattern.startsWith('/api/v1/'))
    assert.isAbove(api.length, 0)

    for (const entry of api) {
      for (const method of entry.methods.map((m) => m.toLowerCase())) {
        const operation = doc.paths[openApiPath(entry.pattern)]?.[method]
        assert.exists(operation, `${method.toUpperCase()} ${entry.pattern} is in the document`)
        assert.equal(operation['x-permission'], entry.permission, `${entry.pattern} permission`)
        assert.deepEqual(operation.tags, [entry.module ?? 'kernel'])
        if (entry.module) {
          assert.isTrue(modules.has(entry.module))
          assert.equal(operation.responses['404'].$ref, '#/components/responses/NotFound')
        }
        const body = docOf(entry.route)?.body
        if (body && ['post', 'put', 'patch'].includes(method)) assert.exists(operation.requestBody)
      }
    }

    const tags = doc.tags.map((t: { name: string }) => t.name)
    for (const entry of api.filter((e) => e.module)) assert.include(tags, entry.module!)
  })

  test('is self-consistent: unique operation ids, declared path params, resolvable refs', async ({
    client,
    assert,
  }) => {
    const doc = (await client.get('/api/v1/openapi.json')).body()
    const ids = new Set<string>()
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      assert.match(path, /^\/api\/v1(\/|$)/)
      assert.notMatch(path, /:/, `${path} uses {param}, not :param`)
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      for (const [method, operation] of Object.entries<any>(item)) {
        assert.include(METHODS, method)
        assert.isFalse(ids.has(operation.operationId), `${operation.operationId} is unique`)
        ids.add(operation.operationId)
        assert.isString(operation.summary)
        assert.isString(operation['x-permission'])
        assert.isNotEmpty(Object.keys(operation.responses))
        const declared = (operation.parameters ?? [])
          .filter((p: any) => p.in === 'path')
          .map((p: any) => p.name)
        assert.sameMembers(declared, params, `${method.toUpperCase()} ${path} path parameters`)
      }
    }
    for (const ref of refs(doc)) assert.exists(resolve(doc, ref), `${ref} resolves`)
  })
})
