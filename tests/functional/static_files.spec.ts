import { test } from '@japa/runner'
import { readdirSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

test.group('Static files', () => {
  test('files of public/ are served; other paths go to the router', async ({ client, assert }) => {
    const icon = await client.get('/favicon.svg')
    icon.assertStatus(200)
    assert.match(icon.header('content-type') ?? '', /image\/svg\+xml/)
    assert.isString(icon.header('etag'))

    // The built front end (npm test builds it first)
    const asset = readdirSync(app.publicPath('assets')).find((name) => name.endsWith('.js'))
    assert.isString(asset)
    ;(await client.get(`/assets/${asset}`)).assertStatus(200)

    ;(await client.get('/missing-file.js')).assertStatus(404)
    const page = await client.get('/contacts').redirects(0)
    page.assertStatus(302)
    assert.equal(page.header('location'), '/login')
  })
})
