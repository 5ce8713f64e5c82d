import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { routeTable, describeRoute, type RouteEntry } from '#kernel/api/route_table'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/browser_session'

/**
 * "CSRF on every mutation; no state change on GET", checked on the route
 * table itself, so every route a module adds is covered without editing
 * this file.
 */

/** Route names (last segment) that say the route changes something. */
const MUTATION_NAME =
  /^(store|update|destroy|delete|remove|save|upload|restore|enable|disable|accept|verify|send|revoke|logout|login|toggle|import|install|uninstall|grant|transition|fire|approve|reject|cancel|switch)/i

const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE']

const isApi = (entry: RouteEntry) => entry.pattern.startsWith('/api/')

function namedMiddleware(entry: RouteEntry) {
  const names: string[] = []
  for (const item of entry.route.middleware.all()) {
    if (typeof item === 'object' && 'name' in item && typeof item.name === 'string') {
      names.push(item.name)
    }
  }
  return names
}

/** Every table's row count and latest update: what a GET must leave as it was. */
async function snapshot() {
  const connection = db.connection()
  const pg = connection.dialect.name === 'postgres'
  const tables: string[] = pg
    ? (
        await db.rawQuery(
          'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()'
        )
      ).rows.map((r: { name: string }) => r.name)
    : (
        await db.rawQuery(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
      ).map((r: { name: string }) => r.name)
  const state: Record<string, string> = {}
  // The session store writes on every request by design (expiry, flash messages).
  for (const table of tables.filter((t) => t !== 'sessions').sort()) {
    const columns = await connection.columnsInfo(table)
    const query = db.from(table).count('* as n')
    if ('updated_at' in columns) query.max('updated_at as latest')
    const [row] = await query
    state[table] = `${row.n}|${row.latest ?? ''}`
  }
  return state
}

const SAMPLE_PARAMS = ['1', '00000000-0000-4000-8000-000000000000', 'x']

/**
 * A concrete URL: ids of the records this test made, else a sample value the
 * parameter's matcher accepts (so the request reaches the route).
 */
function urlFor(entry: RouteEntry, ids: Record<string, string | number>) {
  return entry.pattern.replace(/:([A-Za-z0-9_]+)\??/g, (_, name: string) => {
    const key = Object.keys(ids).find((prefix) => entry.pattern.startsWith(prefix))
    if (name === 'id' && key) return String(ids[key])
    const match: RegExp | undefined = entry.route.matchers[name]?.match
    return match ? (SAMPLE_PARAMS.find((v) => match.test(v)) ?? 'x') : '1'
  })
}

test.group('No state change on GET', () => {
  test('every route is named, and no GET route is named like a mutation', ({ assert }) => {
    const routes = routeTable()
    const unnamed = routes.filter((e) => !e.name).map(describeRoute)
    assert.deepEqual(unnamed, [], `Routes without a name: ${unnamed.join(', ')}`)
    const wrong = routes
      .filter((e) => e.route.methods.some((m) => m === 'GET' || m === 'HEAD'))
      .filter((e) => MUTATION_NAME.test(e.name!.split('.').pop()!))
      .map(describeRoute)
    assert.deepEqual(wrong, [], `GET routes that look like mutations: ${wrong.join(', ')}`)
    // The check has something to bite on: the mutations are there, on other methods.
    const mutations = routes.filter((e) => MUTATION_NAME.test(e.name!.split('.').pop()!))
    assert.isAbove(mutations.length, 10)
    for (const entry of mutations) {
      assert.isTrue(
        entry.methods.every((m) => UNSAFE.includes(m)),
        describeRoute(entry)
      )
    }
  })

  test('every page mutation runs the CSRF check; the API runs neither session nor CSRF', ({
    assert,
  }) => {
    const mutations = routeTable().filter((e) => e.methods.some((m) => UNSAFE.includes(m)))
    const unguarded = mutations
      .filter((e) => !isApi(e))
      .filter((e) => !namedMiddleware(e).includes('shield'))
      .map(describeRoute)
    assert.deepEqual(unguarded, [], `Page mutations without shield: ${unguarded.join(', ')}`)
    const statefulApi = mutations
      .filter(isApi)
      .filter((e) => namedMiddleware(e).some((n) => n === 'shield' || n === 'session'))
      .map(describeRoute)
    assert.deepEqual(statefulApi, [], statefulApi.join(', '))
  })

  test('an admin requesting every GET page changes nothing in the database', async ({ assert }) => {
    const { user } = await companyWithUser('admin')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const created = await jar.send('post', '/contacts', {
      kind: 'company',
      name: 'Couverture Le Bris',
    })
    created.assertStatus(302)
    const contact = await db
      .from('contacts')
      .where('name', 'Couverture Le Bris')
      .orderBy('id', 'desc')
      .first()
    const [mail] = await db
      .table('dev_mails')
      .insert({
        to: user.email,
        from: 'no-reply@charpente.local',
        subject: 'GET',
        html: '<p>GET</p>',
        text: 'GET',
        created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      })
      .returning('id')
    const ids = {
      '/contacts/': contact.id,
      '/settings/users/': user.id,
      '/dev/mails/': Number((mail as any)?.id ?? mail),
    }
    const pages = routeTable().filter(
      (e) => e.methods.includes('GET') && !isApi(e) && !e.pattern.startsWith('/health/')
    )
    assert.isAbove(pages.length, 10)

    const before = await snapshot()
    const answers: string[] = []
    for (const entry of pages) {
      const url = urlFor(entry, ids)
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}${url}`, {
          method,
          headers: { cookie: jar.header() },
          redirect: 'manual',
        })
        answers.push(`${method} ${url} ${response.status}`)
        assert.isBelow(response.status, 500, `${method} ${url}`)
      }
    }
    const after = await snapshot()
    assert.deepEqual(after, before, `Database changed by: ${answers.join(', ')}`)
  }).timeout(120_000)
})

test.group('CSRF on every mutation', () => {
  test('without the token, every page mutation is refused and changes nothing', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const mutations = routeTable().filter(
      (e) => !isApi(e) && e.methods.some((m) => UNSAFE.includes(m))
    )
    assert.isAbove(mutations.length, 10)

    const before = await snapshot()
    for (const entry of mutations) {
      const url = urlFor(entry, {})
      for (const method of entry.methods.filter((m) => UNSAFE.includes(m))) {
        // A signed-in browser's cookies, as a forged cross-site form would carry
        // them, but no token: neither the X-XSRF-TOKEN header nor a _csrf field.
        const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}${url}`, {
          method,
          headers: { 'cookie': jar.header(), 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Forged', email: 'forged@example.com', locale: 'en' }),
          redirect: 'manual',
        })
        const label = `${method} ${url} (${describeRoute(entry)})`
        // Sent back whence it came, with the CSRF message flashed.
        assert.equal(response.status, 302, label)
      }
    }
    assert.deepEqual(await snapshot(), before)
    // Still signed in: the refusals ended nothing (logout included).
    ;(await jar.get('/')).assertStatus(200)
  }).timeout(120_000)

  test('the refusal is the CSRF check: the same request with the token goes through', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const base = `http://${process.env.HOST}:${process.env.PORT}`

    const forged = await fetch(`${base}/locale`, {
      method: 'POST',
      headers: { 'cookie': jar.header(), 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'en' }),
      redirect: 'manual',
    })
    assert.equal(forged.status, 302)
    await user.refresh()
    assert.equal(user.locale, 'fr')
    // The page then shows why, in the interface language.
    const page = await jar.get('/')
    assert.include(page.body, 'La page a expiré')

    const genuine = await jar.send('post', '/locale', { locale: 'en' })
    genuine.assertStatus(302)
    await user.refresh()
    assert.equal(user.locale, 'en')

    // A wrong token is no better than none.
    const wrong = await fetch(`${base}/locale`, {
      method: 'POST',
      headers: {
        'cookie': jar.header(),
        'content-type': 'application/json',
        'x-csrf-token': 'not-the-token',
      },
      body: JSON.stringify({ locale: 'fr' }),
      redirect: 'manual',
    })
    assert.equal(wrong.status, 302)
    await user.refresh()
    assert.equal(user.locale, 'en')
  }).timeout(60_000)
})
