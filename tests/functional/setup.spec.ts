import { test } from '@japa/runner'
import { startIsolatedSite, CookieClient } from '#tests/helpers/isolated_site'
import { companyWithUser } from '#tests/helpers/fixtures'
import db from '@adonisjs/lucid/services/db'

test.group('First-run setup', () => {
  test('on an empty site, /setup creates the first company and admin once', async ({ assert }) => {
    const site = await startIsolatedSite('setup', 3397)
    try {
      const browser = new CookieClient(site.url)
      const login = await browser.request('GET', '/login')
      assert.equal(login.status, 302)
      assert.equal(login.headers.get('location'), '/setup')
      const page = await browser.request('GET', '/setup')
      assert.equal(page.status, 200)

      // Bad input: field errors, nothing created.
      const bad = await browser.request('POST', '/setup', {
        companyName: 'T',
        fullName: 'Anna',
        email: 'not-an-email',
        password: 'short',
        passwordConfirmation: 'other',
      })
      assert.equal(bad.status, 302)
      assert.equal(bad.headers.get('location'), `${site.url}/setup`)
      assert.equal((await browser.request('GET', '/login')).headers.get('location'), '/setup')

      const done = await browser.request('POST', '/setup', {
        companyName: 'Toitures Kerouac',
        fullName: 'Anna Kerouac',
        email: 'anna@kerouac.fr',
        password: 'a long enough passphrase',
        passwordConfirmation: 'a long enough passphrase',
      })
      assert.equal(done.status, 302)
      assert.equal(done.headers.get('location'), '/')
      // The first admin is signed in; their role requires MFA, so enrolment comes first.
      const home = await browser.request('GET', '/')
      assert.equal(home.status, 302)
      assert.equal(home.headers.get('location'), '/profile/security')
      const enrol = await browser.request('GET', '/profile/security')
      assert.equal(enrol.status, 200)
      assert.include(await enrol.text(), 'Toitures Kerouac')

      // A second setup from another visitor is refused: nothing new is made.
      const intruder = new CookieClient(site.url)
      const again = await intruder.request('GET', '/setup')
      assert.equal(again.status, 302)
      assert.equal(again.headers.get('location'), '/login')
      await intruder.request('GET', '/login')
      const forced = await intruder.request('POST', '/setup', {
        companyName: 'Other',
        fullName: 'Mallory',
        email: 'mallory@example.com',
        password: 'another long passphrase',
        passwordConfirmation: 'another long passphrase',
      })
      assert.equal(forced.status, 302)
      assert.equal(forced.headers.get('location'), '/login')
      const me = await intruder.request('GET', '/')
      assert.equal(me.status, 302)
    } finally {
      await site.stop()
    }
  }).timeout(120000)

  test('the setup page is closed once any user exists', async ({ client, assert }) => {
    await companyWithUser('staff')
    const before = await db.from('companies').count('* as n')
    const response = await client
      .post('/setup')
      .withCsrfToken()
      .json({
        companyName: 'Late',
        fullName: 'Late Comer',
        email: 'late@example.com',
        password: 'a long enough passphrase',
        passwordConfirmation: 'a long enough passphrase',
      })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
    const after = await db.from('companies').count('* as n')
    assert.equal(Number(after[0].n), Number(before[0].n))
  })
})
