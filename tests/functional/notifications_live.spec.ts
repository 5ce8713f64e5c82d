import { test } from '@japa/runner'
import { companyWithUser, memberOf, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/browser_session'
import { LiveStream } from '#tests/helpers/live_stream'
import { notify } from '#kernel/notifications/notifications'

/**
 * Live delivery over server-sent events: a signed-in user's stream gets
 * their notifications as they are raised; nobody can listen to another
 * user's channel, subscribe someone else's stream or take over its id.
 */

const base = () => `http://${process.env.HOST}:${process.env.PORT}`
const channelOf = (id: number) => `notifications/users/${id}`

async function scene() {
  const { company, user: alice } = await companyWithUser('staff')
  const bob = await memberOf(company.id, 'staff')
  const aliceJar = await signIn(alice.email, TEST_PASSWORD)
  const bobJar = await signIn(bob.email, TEST_PASSWORD)
  return { company, alice, bob, aliceJar, bobJar }
}

test.group('Notifications: live delivery', () => {
  test('a notification raised for a signed-in user reaches their open stream', async ({
    assert,
    cleanup,
  }) => {
    const { company, alice, aliceJar } = await scene()
    const stream = await LiveStream.open(base(), aliceJar.header())
    cleanup(() => stream.close())
    assert.equal(stream.status, 200)
    const subscribed = await aliceJar.send('post', '/__transmit/subscribe', {
      uid: stream.uid,
      channel: channelOf(alice.id),
    })
    subscribed.assertStatus(204)

    await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [alice.id],
      title: { fr: 'Intervention planifiée', en: 'Job scheduled' },
      link: '/contacts/3',
    })
    const message = await stream.waitFor((m) => m.channel === channelOf(alice.id))
    assert.isNotNull(message, 'no message on the stream')
    assert.equal(message!.payload.companyId, company.id)
    assert.equal(message!.payload.unread, 1)
    assert.equal(message!.payload.notification.title, 'Intervention planifiée')
    assert.equal(message!.payload.notification.link, '/contacts/3')
  })

  test('nobody may subscribe to another user’s channel', async ({ assert, cleanup }) => {
    const { company, alice, bob, bobJar } = await scene()
    const stream = await LiveStream.open(base(), bobJar.header())
    cleanup(() => stream.close())
    const refused = await bobJar.send('post', '/__transmit/subscribe', {
      uid: stream.uid,
      channel: channelOf(alice.id),
    })
    refused.assertStatus(403)
    // Bob's own channel works, and carries nothing of Alice's.
    ;(
      await bobJar.send('post', '/__transmit/subscribe', {
        uid: stream.uid,
        channel: channelOf(bob.id),
      })
    ).assertStatus(204)
    await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [alice.id],
      title: { fr: 'Pour Alice', en: 'For Alice' },
    })
    await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [bob.id],
      title: { fr: 'Pour Bob', en: 'For Bob' },
    })
    const own = await stream.waitFor((m) => m.payload?.notification?.title === 'Pour Bob')
    assert.isNotNull(own)
    assert.deepEqual(
      stream.messages.map((m) => m.channel),
      [channelOf(bob.id)]
    )
  })

  test('a stream id belongs to the user who opened it', async ({ assert, cleanup }) => {
    const { alice, bob, aliceJar, bobJar } = await scene()
    const stream = await LiveStream.open(base(), aliceJar.header())
    cleanup(() => stream.close())
    // Bob cannot open a second stream under Alice's id…
    const hijack = await LiveStream.open(base(), bobJar.header(), stream.uid)
    cleanup(() => hijack.close())
    assert.equal(hijack.status, 409)
    // …nor subscribe her stream to his channel or to hers, nor unsubscribe it.
    for (const channel of [channelOf(bob.id), channelOf(alice.id)]) {
      ;(
        await bobJar.send('post', '/__transmit/subscribe', { uid: stream.uid, channel })
      ).assertStatus(403)
    }
    ;(
      await bobJar.send('post', '/__transmit/unsubscribe', {
        uid: stream.uid,
        channel: channelOf(alice.id),
      })
    ).assertStatus(403)
  })

  test('reopening a stream under its id (a reconnection) replaces the old one and keeps working', async ({
    assert,
    cleanup,
  }) => {
    const { company, alice, aliceJar } = await scene()
    const first = await LiveStream.open(base(), aliceJar.header())
    cleanup(() => first.close())
    // The browser reconnects before the server noticed the old connection drop.
    const second = await LiveStream.open(base(), aliceJar.header(), first.uid)
    cleanup(() => second.close())
    assert.equal(second.status, 200)
    ;(
      await aliceJar.send('post', '/__transmit/subscribe', {
        uid: second.uid,
        channel: channelOf(alice.id),
      })
    ).assertStatus(204)
    await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [alice.id],
      title: { fr: 'Après reconnexion', en: 'After reconnecting' },
    })
    assert.isNotNull(
      await second.waitFor((m) => m.payload?.notification?.title === 'Après reconnexion')
    )
  })

  test('the stream needs a session, a stream id and, to subscribe, the CSRF token', async ({
    assert,
    cleanup,
  }) => {
    const { alice, aliceJar } = await scene()
    const anonymous = await LiveStream.open(base(), '')
    assert.equal(anonymous.status, 302)

    const noUid = await fetch(`${base()}/__transmit/events`, {
      headers: { cookie: aliceJar.header() },
    })
    assert.equal(noUid.status, 400)

    const stream = await LiveStream.open(base(), aliceJar.header())
    cleanup(() => stream.close())
    const forged = await fetch(`${base()}/__transmit/subscribe`, {
      method: 'POST',
      headers: { 'cookie': aliceJar.header(), 'content-type': 'application/json' },
      body: JSON.stringify({ uid: stream.uid, channel: channelOf(alice.id) }),
      redirect: 'manual',
    })
    assert.equal(forged.status, 302)
  })
})
