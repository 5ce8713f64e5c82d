import { test } from '@japa/runner'
import { startIsolatedSite } from '#tests/helpers/isolated_site'

test.group('Graceful stop', () => {
  test('the server exits on SIGTERM (with Redis configured too)', async ({ assert }) => {
    const site = await startIsolatedSite('stop', 3396)
    const started = Date.now()
    const { exitCode, signal } = await site.stopAndWait()
    assert.isBelow(Date.now() - started, 8000)
    assert.equal(signal, null, 'exited by itself, not killed')
    assert.equal(exitCode, 0)
  }).timeout(60000)
})
