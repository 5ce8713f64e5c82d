import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'

const run = promisify(execFile)

/** Runs `node ace <args>` in a separate process, on the same database. */
function ace(...args: string[]) {
  return run(process.execPath, [app.makePath('ace.js'), ...args], {
    cwd: app.makePath(),
    env: process.env,
  })
}

async function waitForStatus(fetchStatus: () => Promise<number>, expected: number, ms = 5000) {
  const start = Date.now()
  let status = await fetchStatus()
  while (status !== expected && Date.now() - start < ms) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    status = await fetchStatus()
  }
  return { status, elapsed: Date.now() - start }
}

test.group('Enabling and disabling from another process', () => {
  test('module:disable in another process turns the running server’s routes to 404, module:enable brings them back', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Still here' })
    const status = async () => (await client.get('/api/v1/contacts').bearerToken(token)).status()
    assert.equal(await status(), 200)

    try {
      const disabled = await ace('module:disable', 'contacts')
      assert.include(disabled.stdout, 'Disabled "contacts"')
      const off = await waitForStatus(status, 404)
      assert.equal(off.status, 404, `still ${off.status} after ${off.elapsed} ms`)
      ;(await client.get('/contacts').loginAs(user)).assertStatus(404)
    } finally {
      await ace('module:enable', 'contacts')
    }
    const on = await waitForStatus(status, 200)
    assert.equal(on.status, 200)
    const list = await client.get('/api/v1/contacts').bearerToken(token)
    assert.deepEqual(
      list.body().data.map((c: any) => c.name),
      ['Still here']
    )
  }).timeout(60000)
})
