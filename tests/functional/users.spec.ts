import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { SessionCollection } from '@adonisjs/session'
import User from '#models/user'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieJar, signIn, lastMailTo } from '#tests/helpers/browser_session'
import { sessionsOf, sessionClock } from '#kernel/users/sessions'

let counter = 0
const newEmail = () => `invitee-${Date.now().toString(36)}-${++counter}@test.charpente.fr`
const NEW_PASSWORD = 'a-brand-new-passphrase'
const JSON_ACCEPT = { accept: 'application/json' }

/** Invites through the API and returns the link path the mail carries. */
async function invite(
  client: any,
  token: string,
  email: string,
  body: Record<string, unknown> = {}
) {
  const response = await client
    .post('/api/v1/admin/users')
    .bearerToken(token)
    .json({ email, role: 'staff', ...body })
  response.assertStatus(201)
  const mail = await lastMailTo(email)
  return { response, mail: mail! }
}

test.group('Users: invitation', () => {
  test('invite → mail in the dev store → follow the link → set a password → signed in', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const token = await tokenFor(admin)
    const team = await db
      .table('teams')
      .insert({
        company_id: company.id,
        name: 'Couvreurs',
        created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
        updated_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      })
      .returning('id')
    const teamId = Number((team[0] as any)?.id ?? team[0])
    const email = newEmail()

    const { response, mail } = await invite(client, token, email, {
      fullName: 'Léa Martin',
      teamIds: [teamId],
      locale: 'en',
    })
    assert.equal(response.body().data.role, 'staff')
    assert.deepEqual(response.body().data.teamIds, [teamId])
    assert.isTrue(response.body().data.pending)
    assert.match(mail.subject, /Invitation to join/)
    assert.include(mail.html, mail.path!)
    assert.match(mail.path!, /^\/password\/invite\/[\w-]{40,}$/)

    // The dev mail page lists it, and its view carries the link.
    const list = await client.get('/dev/mails').withInertia()
    list.assertStatus(200)
    assert.isTrue(list.inertiaProps.mails.some((m: any) => m.id === mail.id))
    const view = await client.get(`/dev/mails/${mail.id}`).withInertia()
    assert.include(view.inertiaProps.mail.text, mail.path!)

    const jar = new CookieJar()
    const page = await jar.get(mail.path!)
    page.assertStatus(200)
    const form = await client.get(mail.path!).withInertia()
    form.assertInertiaComponent('auth/set_password')
    assert.isTrue(form.inertiaProps.valid)
    assert.equal(form.inertiaProps.email, email)

    const set = await jar.send('post', mail.path!, {
      password: NEW_PASSWORD,
      passwordConfirmation: NEW_PASSWORD,
    })
    set.assertStatus(302)
    set.assertHeader('location', '/')
    const home = await jar.get('/')
    home.assertStatus(200)

    const invited = await User.findByOrFail('email', email)
    assert.lengthOf(await sessionsOf(invited.id), 1)
    // The password works on the login form too.
    await signIn(email, NEW_PASSWORD)

    const listed = await client.get('/api/v1/admin/users').bearerToken(token)
    const row = listed.body().data.find((u: any) => u.email === email)
    assert.isFalse(row.pending)
  })

  test('a used link and an expired link are refused', async ({ client, assert }) => {
    const { user: admin } = await companyWithUser('admin')
    const token = await tokenFor(admin)
    const email = newEmail()
    const { mail } = await invite(client, token, email)
    const jar = new CookieJar()
    const body = { password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD }
    ;(await jar.send('post', mail.path!, body)).assertStatus(302)

    // Used once: the page says so and a second use is refused.
    const again = await client.get(mail.path!).withInertia()
    assert.isFalse(again.inertiaProps.valid)
    const replay = await new CookieJar().send('post', mail.path!, body, JSON_ACCEPT)
    replay.assertStatus(422)

    // An expired invitation.
    const other = newEmail()
    const { mail: second } = await invite(client, token, other)
    const invited = await User.findByOrFail('email', other)
    await db
      .from('user_tokens')
      .where('user_id', invited.id)
      .update({ expires_at: '2000-01-01 00:00:00' })
    const expired = await client.get(second.path!).withInertia()
    assert.isFalse(expired.inertiaProps.valid)
    const refused = await new CookieJar().send('post', second.path!, body, JSON_ACCEPT)
    refused.assertStatus(422)
    assert.equal(CookieJar.json(refused).errors[0].field, 'password')

    // A made-up link.
    const unknown = await client.get('/password/invite/not-a-real-token').withInertia()
    assert.isFalse(unknown.inertiaProps.valid)
  })

  test('inviting a member twice, an unknown role or another company’s team is refused', async ({
    client,
    assert,
  }) => {
    const { user: admin } = await companyWithUser('admin')
    const { company: other } = await companyWithUser('admin')
    const foreignTeam = await db
      .table('teams')
      .insert({
        company_id: other.id,
        name: 'Ailleurs',
        created_at: '2026-01-01 00:00:00',
        updated_at: '2026-01-01 00:00:00',
      })
      .returning('id')
    const token = await tokenFor(admin)
    const twice = await client
      .post('/api/v1/admin/users')
      .bearerToken(token)
      .json({ email: admin.email, role: 'staff' })
    twice.assertStatus(422)
    assert.equal(twice.body().errors[0].field, 'email')
    const role = await client
      .post('/api/v1/admin/users')
      .bearerToken(token)
      .json({ email: newEmail(), role: 'emperor' })
    role.assertStatus(422)
    assert.equal(role.body().errors[0].field, 'role')
    const team = await client
      .post('/api/v1/admin/users')
      .bearerToken(token)
      .json({
        email: newEmail(),
        role: 'staff',
        teamIds: [Number((foreignTeam[0] as any)?.id ?? foreignTeam[0])],
      })
    team.assertStatus(422)
    assert.equal(team.body().errors[0].field, 'teamIds')
  })

  test('only admins manage users; members of another company are not found', async ({ client }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const manager = await memberOf(company.id, 'manager')
    const { user: stranger } = await companyWithUser('staff')
    ;(await client.get('/api/v1/admin/users').bearerToken(await tokenFor(manager))).assertStatus(
      403
    )
    const managerJar = await signIn(manager.email, TEST_PASSWORD)
    ;(await managerJar.get('/settings/users')).assertStatus(403)
    const token = await tokenFor(admin)
    ;(await client.get(`/api/v1/admin/users/${stranger.id}`).bearerToken(token)).assertStatus(404)
    ;(
      await client.patch(`/api/v1/admin/users/${stranger.id}`).bearerToken(token).json({
        isActive: false,
      })
    ).assertStatus(404)
    const adminJar = await signIn(admin.email, TEST_PASSWORD)
    const page = await adminJar.get('/settings/users')
    page.assertStatus(200)
  })

  test('the list pages by id (keyset)', async ({ client, assert }) => {
    const { user: admin, company } = await companyWithUser('admin')
    for (let i = 0; i < 3; i++) await memberOf(company.id, 'staff')
    const token = await tokenFor(admin)
    const first = await client.get('/api/v1/admin/users?limit=2').bearerToken(token)
    first.assertStatus(200)
    assert.lengthOf(first.body().data, 2)
    const second = await client
      .get(`/api/v1/admin/users?limit=2&after=${first.body().next}`)
      .bearerToken(token)
    assert.lengthOf(second.body().data, 2)
    assert.isNull(second.body().next)
    const ids = [...first.body().data, ...second.body().data].map((u: any) => u.id)
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b)
    )
  })
})

test.group('Users: deactivation and sessions', () => {
  test('deactivating ends open sessions and revokes tokens at once', async ({ client, assert }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    const jar = await signIn(member.email, TEST_PASSWORD)
    const memberToken = await tokenFor(member)
    ;(await jar.get('/')).assertStatus(200)
    ;(await client.get('/api/v1/me').bearerToken(memberToken)).assertStatus(200)

    const off = await client
      .patch(`/api/v1/admin/users/${member.id}`)
      .bearerToken(await tokenFor(admin))
      .json({ isActive: false })
    off.assertStatus(200)
    assert.isFalse(off.body().data.isActive)

    const page = await jar.get('/')
    page.assertStatus(302)
    page.assertHeader('location', '/login')
    ;(await client.get('/api/v1/me').bearerToken(memberToken)).assertStatus(401)
    assert.lengthOf(await sessionsOf(member.id), 0)
    const tokens = await db.from('auth_access_tokens').where('tokenable_id', member.id)
    assert.lengthOf(tokens, 0)

    // Reactivated, the old session and token stay dead.
    await client
      .patch(`/api/v1/admin/users/${member.id}`)
      .bearerToken(await tokenFor(admin))
      .json({ isActive: true })
    ;(await jar.get('/')).assertStatus(302)
    ;(await client.get('/api/v1/me').bearerToken(memberToken)).assertStatus(401)
  })

  test('an admin can neither deactivate nor demote themselves', async ({ client, assert }) => {
    const { user: admin } = await companyWithUser('admin')
    const token = await tokenFor(admin)
    const off = await client
      .patch(`/api/v1/admin/users/${admin.id}`)
      .bearerToken(token)
      .json({ isActive: false })
    off.assertStatus(422)
    const demote = await client
      .patch(`/api/v1/admin/users/${admin.id}`)
      .bearerToken(token)
      .json({ role: 'staff' })
    demote.assertStatus(422)
    await admin.refresh()
    assert.isTrue(admin.isActive)
  })

  test('an admin lists a member’s sessions and ends them', async ({ client, assert }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'technician')
    const first = await signIn(member.email, TEST_PASSWORD)
    const second = await signIn(member.email, TEST_PASSWORD)
    const token = await tokenFor(admin)

    const listed = await client.get(`/api/v1/admin/users/${member.id}/sessions`).bearerToken(token)
    listed.assertStatus(200)
    assert.lengthOf(listed.body().data, 2)
    assert.isString(listed.body().data[0].signedInAt)

    const one = listed.body().data[0].id
    ;(
      await client.delete(`/api/v1/admin/users/${member.id}/sessions/${one}`).bearerToken(token)
    ).assertStatus(204)
    const statuses = [(await first.get('/')).status(), (await second.get('/')).status()].sort()
    assert.deepEqual(statuses, [200, 302])

    const all = await client.delete(`/api/v1/admin/users/${member.id}/sessions`).bearerToken(token)
    all.assertStatus(200)
    assert.equal(all.body().data.ended, 1)
    ;(await first.get('/')).assertStatus(302)
    ;(await second.get('/')).assertStatus(302)

    // Another member's session id is not this member's to end.
    const other = await memberOf(company.id, 'staff')
    await signIn(other.email, TEST_PASSWORD)
    const [otherSession] = await sessionsOf(other.id)
    ;(
      await client
        .delete(`/api/v1/admin/users/${member.id}/sessions/${otherSession.id}`)
        .bearerToken(token)
    ).assertStatus(404)
    assert.lengthOf(await sessionsOf(other.id), 1)
  })
})

test.group('Sessions', () => {
  test('login issues a new session id, logout ends it server-side', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const jar = new CookieJar()
    await jar.get('/login')
    const before = [...jar.cookies].find(([name]) => name.includes('session'))?.[1]
    assert.isString(before)
    ;(
      await jar.send('post', '/login', { email: user.email, password: TEST_PASSWORD })
    ).assertStatus(302)
    const after = [...jar.cookies].find(([name]) => name.includes('session'))?.[1]
    assert.notEqual(after, before)

    ;(await jar.get('/')).assertStatus(200)
    const stolen = jar.clone()
    const oldId = jar.sessionId()!
    const sessions = await app.container.make(SessionCollection)
    assert.isNotNull(await sessions.get(oldId))
    const out = await jar.send('post', '/logout')
    out.assertStatus(302)
    out.assertHeader('location', '/login')
    assert.isNull(await sessions.get(oldId))

    // The cookie as it was before logout no longer signs anyone in.
    const replay = await stolen.get('/')
    replay.assertStatus(302)
    replay.assertHeader('location', '/login')
    assert.lengthOf(await sessionsOf(user.id), 0)
  })

  test('a session ends 12 hours after sign-in however active it stays', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    ;(await jar.get('/')).assertStatus(200)
    const realNow = sessionClock.now
    sessionClock.now = () => realNow() + (12 * 60 + 1) * 60 * 1000
    try {
      const page = await jar.get('/')
      page.assertStatus(302)
      page.assertHeader('location', '/login')
    } finally {
      sessionClock.now = realNow
    }
    assert.lengthOf(await sessionsOf(user.id), 0)
  })
})
