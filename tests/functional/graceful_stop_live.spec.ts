import { test } from '@japa/runner'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieClient, freePort, startServer } from '#tests/helpers/isolated_site'
import { LiveStream } from '#tests/helpers/live_stream'

test.group('Graceful stop with live streams', () => {
  test('the server exits on SIGTERM while a browser holds a notification stream open', async ({
    assert,
    cleanup,
  }) => {
    const { user } = await companyWithUser('staff')
    const server = await startServer(await freePort(), process.env)
    const browser = new CookieClient(server.url)
    await browser.request('GET', '/login')
    const signedIn = await browser.request('POST', '/login', {
      email: user.email,
      password: TEST_PASSWORD,
    })
    assert.equal(signedIn.status, 302)
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const stream = await LiveStream.open(server.url, cookie)
    cleanup(() => stream.close())
    assert.equal(stream.status, 200)

    const started = Date.now()
    const { exitCode, signal } = await server.stopAndWait()
    assert.isBelow(Date.now() - started, 8000)
    assert.equal(signal, null, 'exited by itself, not killed')
    assert.equal(exitCode, 0)
  }).timeout(60000)
})
