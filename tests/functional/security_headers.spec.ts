import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { startIsolatedSite, freePort, CookieClient } from '#tests/helpers/isolated_site'
import { companyWithUser } from '#tests/helpers/fixtures'

/**
 * The headers a browser gets: cookies, HSTS and the Content-Security-Policy,
 * on the test server (plain http, as a small office's LAN) and on a server
 * process started in production mode behind an https:// APP_URL.
 */

interface Cookie {
  name: string
  value: string
  /** Attributes, lower-cased names; flags map to true */
  attributes: Record<string, string | true>
}

function cookiesOf(response: Response): Cookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';').map((part) => part.trim())
    const index = pair.indexOf('=')
    const attributes: Record<string, string | true> = {}
    for (const attribute of rest) {
      const at = attribute.indexOf('=')
      if (at === -1) attributes[attribute.toLowerCase()] = true
      else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1)
    }
    return { name: pair.slice(0, index), value: pair.slice(index + 1), attributes }
  })
}

function cookieNamed(cookies: Cookie[], name: string) {
  const found = cookies.find((c) => c.name === name)
  if (!found) throw new Error(`No ${name} cookie among ${cookies.map((c) => c.name).join(', ')}`)
  return found
}

/** The policy's directives: name → sources. */
function policyOf(header: string | null) {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) directives.set(name, sources)
  }
  return directives
}

const testServer = () => `http://${process.env.HOST}:${process.env.PORT}`

test.group('Security headers over http', (group) => {
  // With a user, /login shows the sign-in page rather than sending to first-run setup.
  group.setup(async () => {
    await companyWithUser('staff')
  })

  test('the session cookie is HttpOnly and SameSite=Lax, not Secure; the XSRF cookie SameSite=Lax', async ({
    assert,
  }) => {
    const response = await fetch(`${testServer()}/login`, { redirect: 'manual' })
    assert.equal(response.status, 200)
    const cookies = cookiesOf(response)

    const session = cookieNamed(cookies, 'charpente-session')
    assert.isTrue(session.attributes.httponly)
    assert.equal(session.attributes.samesite, 'Lax')
    assert.equal(session.attributes.path, '/')
    assert.isUndefined(session.attributes.secure)

    // Read by the page's scripts to send the X-XSRF-TOKEN header: not HttpOnly by design.
    const xsrf = cookieNamed(cookies, 'XSRF-TOKEN')
    assert.equal(xsrf.attributes.samesite, 'Lax')
    assert.isUndefined(xsrf.attributes.httponly)
    assert.isUndefined(xsrf.attributes.secure)

    // Every cookie the page sets says SameSite; none but the XSRF one is readable by scripts.
    for (const cookie of cookies) {
      assert.equal(cookie.attributes.samesite, 'Lax', cookie.name)
      if (cookie.name !== 'XSRF-TOKEN') assert.isTrue(cookie.attributes.httponly, cookie.name)
    }
    assert.notExists(cookies.find((c) => c.name.startsWith('__Host-')))
    assert.isNull(response.headers.get('strict-transport-security'))
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  })

  test('the Content-Security-Policy allows scripts from this origin with a fresh nonce', async ({
    assert,
  }) => {
    const first = await fetch(`${testServer()}/login`, { redirect: 'manual' })
    const second = await fetch(`${testServer()}/login`, { redirect: 'manual' })
    assert.equal(first.status, 200)
    const policy = policyOf(first.headers.get('content-security-policy'))

    assert.deepEqual(policy.get('default-src'), ["'self'"])
    assert.deepEqual(policy.get('img-src'), ["'self'", 'data:'])
    assert.deepEqual(policy.get('object-src'), ["'none'"])
    assert.deepEqual(policy.get('base-uri'), ["'self'"])
    assert.deepEqual(policy.get('form-action'), ["'self'"])
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"])
    const scripts = policy.get('script-src')!
    assert.lengthOf(scripts, 2)
    assert.equal(scripts[0], "'self'")
    const nonce = /^'nonce-([\w-]+)'$/.exec(scripts[1])?.[1]
    assert.isString(nonce)
    assert.deepEqual(policy.get('style-src'), ["'self'", `'nonce-${nonce}'`])
    // Outside production, only Vite's hot-reload websocket is added.
    for (const source of policy.get('connect-src')!.slice(1)) {
      assert.match(source, /^wss?:\/\/\*:\d+$/)
    }
    const header = first.headers.get('content-security-policy')!
    assert.notInclude(header, 'unsafe-inline')
    assert.notInclude(header, 'unsafe-eval')

    // The nonce changes with every response and is the one the page's scripts carry.
    const other = policyOf(second.headers.get('content-security-policy')).get('script-src')![1]
    assert.notEqual(other, scripts[1])
    const html = await first.text()
    const tags = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag)
    const executable = tags.filter((tag) => !/type="application\/json"/.test(tag))
    assert.isAbove(executable.length, 0)
    for (const tag of executable) assert.include(tag, `nonce="${nonce}"`, tag)
    assert.include(html, `<meta property="csp-nonce" nonce="${nonce}"`)
  })

  test('the dev mail body keeps its own, stricter policy (one header, sandboxed)', async ({
    assert,
  }) => {
    const [row] = await db
      .table('dev_mails')
      .insert({
        to: 'someone@test.charpente.fr',
        from: 'no-reply@charpente.local',
        subject: 'Headers',
        html: '<p>Bonjour</p>',
        text: 'Bonjour',
        created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      })
      .returning('id')
    const id = Number((row as any)?.id ?? row)
    const response = await fetch(`${testServer()}/dev/mails/${id}/html`)
    assert.equal(response.status, 200)
    const header = response.headers.get('content-security-policy')!
    assert.notInclude(header, 'nonce-', 'not merged with the pages policy')
    const policy = policyOf(header)
    assert.deepEqual(policy.get('default-src'), ["'none'"])
    assert.deepEqual(policy.get('frame-ancestors'), ["'self'"])
    assert.isTrue(policy.has('sandbox'))
    assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN')
  })
})

test.group('Security headers in production over https', () => {
  test('__Host- session cookie (Secure, HttpOnly, SameSite=Lax, Path=/), Secure XSRF cookie, HSTS', async ({
    assert,
  }) => {
    const site = await startIsolatedSite('https', await freePort(), {
      env: {
        NODE_ENV: 'production',
        APP_URL: 'https://erp.toitures-kerouac.fr',
        LOG_LEVEL: 'error',
      },
    })
    try {
      const response = await fetch(`${site.url}/setup`, { redirect: 'manual' })
      assert.equal(response.status, 200)
      const cookies = cookiesOf(response)

      const session = cookieNamed(cookies, '__Host-charpente-session')
      assert.isTrue(session.attributes.secure)
      assert.isTrue(session.attributes.httponly)
      assert.equal(session.attributes.samesite, 'Lax')
      assert.equal(session.attributes.path, '/')
      // The __Host- prefix forbids a Domain attribute.
      assert.isUndefined(session.attributes.domain)
      assert.notExists(cookies.find((c) => c.name === 'charpente-session'))

      const xsrf = cookieNamed(cookies, 'XSRF-TOKEN')
      assert.isTrue(xsrf.attributes.secure)
      assert.equal(xsrf.attributes.samesite, 'Lax')
      for (const cookie of cookies) assert.isTrue(cookie.attributes.secure, cookie.name)

      const hsts = response.headers.get('strict-transport-security') ?? ''
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1])
      assert.isAtLeast(maxAge, 31536000, hsts)
      assert.match(hsts, /;\s*includeSubDomains/)

      // Production serves built assets: no dev-server websocket in the policy.
      const policy = policyOf(response.headers.get('content-security-policy'))
      assert.deepEqual(policy.get('connect-src'), ["'self'"])
      assert.deepEqual(policy.get('frame-ancestors'), ["'none'"])

      // The site works with these cookies: setup creates the admin and signs them in.
      const browser = new CookieClient(site.url)
      await browser.request('GET', '/setup')
      assert.isTrue(browser.cookies.has('__Host-charpente-session'))
      const done = await browser.request('POST', '/setup', {
        companyName: 'Toitures Kerouac',
        fullName: 'Anna Kerouac',
        email: 'anna@kerouac.fr',
        password: 'slate roofs under the rain',
        passwordConfirmation: 'slate roofs under the rain',
      })
      assert.equal(done.status, 302)
      assert.equal(done.headers.get('location'), '/')
    } finally {
      await site.stop()
    }
  }).timeout(120_000)
})
