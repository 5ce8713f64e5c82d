import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { redisEnabled } from '#config/redis'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieClient, freePort, startServer } from '#tests/helpers/isolated_site'
import { LiveStream } from '#tests/helpers/live_stream'

/**
 * Several app instances share PostgreSQL and Redis: a notification raised
 * on one instance reaches the browser connected to another, live, and by
 * mail to a user who chose mail. Two real server processes, A and B, serve
 * the test database; the user listens on B and the notification is raised
 * through A's API.
 */

const pg = () => db.connection().dialect.name === 'postgres'
const reason = 'needs PostgreSQL and Redis (DB_CONNECTION=pg and REDIS_HOST), as in CI'

async function waitUntil<T>(probe: () => Promise<T | null | undefined>, ms = 10000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await probe()
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return null
}

test.group('Notifications across app instances', () => {
  test('raised through instance A, it appears live on instance B and is mailed to who chose it', async ({
    assert,
    cleanup,
  }) => {
    const { company, user: manager } = await companyWithUser('manager')
    const staff = await memberOf(company.id, 'staff')
    await db.table('notification_preferences').insert({
      user_id: staff.id,
      type: 'contacts.contact_assigned',
      in_app: true,
      email: true,
      updated_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
    })
    const token = await tokenFor(manager)

    const env = { ...process.env, MAIL_MAILER: 'dev' }
    const [a, b] = await Promise.all([
      freePort().then((port) => startServer(port, env)),
      freePort().then((port) => startServer(port, env)),
    ])
    cleanup(async () => {
      await Promise.all([a.stop(), b.stop()])
    })

    // The staff member signs in on B and listens there, as their browser would.
    const browser = new CookieClient(b.url)
    await browser.request('GET', '/login')
    const signedIn = await browser.request('POST', '/login', {
      email: staff.email,
      password: TEST_PASSWORD,
    })
    assert.equal(signedIn.status, 302)
    assert.equal(signedIn.headers.get('location'), '/')
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const stream = await LiveStream.open(b.url, cookie)
    cleanup(() => stream.close())
    assert.equal(stream.status, 200)
    const subscribed = await browser.request('POST', '/__transmit/subscribe', {
      uid: stream.uid,
      channel: `notifications/users/${staff.id}`,
    })
    assert.equal(subscribed.status, 204)

    // The manager gives them a contact through A's API.
    const created = await fetch(`${a.url}/api/v1/contacts`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'company', name: 'Lauzes du Causse', ownerId: staff.id }),
    })
    assert.equal(created.status, 201)
    const contact = ((await created.json()) as any).data

    const message = await stream.waitFor(
      (m) => m.payload?.notification?.link === `/contacts/${contact.id}`,
      10000
    )
    assert.isNotNull(message, 'the notification never reached the stream on B')
    assert.equal(message!.payload.companyId, company.id)
    assert.equal(message!.payload.notification.title, 'Contact attribué : Lauzes du Causse')
    assert.equal(message!.payload.unread, 1)

    const mail = await waitUntil(() =>
      db.from('dev_mails').where('to', staff.email).orderBy('id', 'desc').first()
    )
    assert.isNotNull(mail, 'no mail for the user who chose mail')
    assert.equal(mail.subject, 'Contact attribué : Lauzes du Causse')
    assert.include(mail.text, `/contacts/${contact.id}`)
    assert.include(mail.html, 'Lauzes du Causse')
  })
    .skip(!pg() || !redisEnabled, reason)
    .timeout(90000)
})
