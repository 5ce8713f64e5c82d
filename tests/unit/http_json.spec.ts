import { test } from '@japa/runner'
import { defineConfig } from '@adonisjs/core/http'
import { http } from '#config/app'

const frameworkDefault = defineConfig({}).serializeJSON

test.group('JSON response bodies', () => {
  test('written as the framework writes them, bigints and circular references included', ({
    assert,
  }) => {
    const date = new Date('2026-12-06T21:50:00Z')
    const plain = {
      data: [{ id: 1, name: 'Ardoises « Le Goff »\u2028', tags: [], date, missing: undefined }],
      meta: { nextCursor: null, total: -0, ratio: Number.NaN },
      toJSONed: { toJSON: () => ({ shown: true }) },
    }
    assert.equal(http.serializeJSON(plain), frameworkDefault(plain))
    assert.equal(http.serializeJSON(plain), JSON.stringify(plain))

    const big = { id: 12345678901234567890n, nested: [1n] }
    assert.equal(http.serializeJSON(big), '{"id":"12345678901234567890","nested":["1"]}')
    assert.equal(http.serializeJSON(big), frameworkDefault(big))

    const circular: Record<string, unknown> = { name: 'a' }
    circular.self = circular
    assert.equal(http.serializeJSON(circular), '{"name":"a"}')
    assert.equal(http.serializeJSON(circular), frameworkDefault(circular))
  })
})
