import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieJar, signIn, lastMailTo } from '#tests/helpers/browser_session'
import { roleWith } from '#tests/helpers/roles'
import { codeAt, currentStep, enrolUser, nextCodeFor, secretOf } from '#tests/helpers/mfa'
import { forgetMfaState } from '#kernel/security/mfa'

/*
 * The wrong codes and passwords these tests send count against the client's
 * address in the sign-in throttle, which lives in Redis when it is configured
 * and outlasts the run: they come from an address of their own (a
 * documentation prefix; the test server believes X-Forwarded-For from this
 * machine), so the rest of the suite signing in from 127.0.0.1 is not locked out.
 */
const CLIENT = {
  'x-forwarded-for': `2001:db8::${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}`,
}
const JSON_HEADERS = { accept: 'application/json', ...CLIENT }

/** Sends the password and stops at the second step: the jar holds the pending challenge. */
async function passwordStep(email: string) {
  const jar = new CookieJar()
  await jar.get('/login')
  const response = await jar.send('post', '/login', { email, password: TEST_PASSWORD }, CLIENT)
  response.assertStatus(302)
  response.assertHeader('location', '/login/mfa')
  return jar
}

function sendCode(jar: CookieJar, code: string) {
  return jar.send('post', '/login/mfa', { code }, JSON_HEADERS)
}

async function auditEvents(userId: number, event: string) {
  return db
    .from('audit_logs')
    .where({ event, record_id: String(userId) })
    .orderBy('id')
}

/** The security page's props, as the signed-in browser of `jar` gets them. */
async function securityPage(jar: CookieJar) {
  const response = await jar.get('/profile/security')
  response.assertStatus(200)
  const page = CookieJar.page(response)
  if (page.component !== 'profile/security') throw new Error(page.component)
  return page.props
}

test.group('MFA enrolment', () => {
  test('the security page shows a QR code and the secret; a wrong code enables nothing', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const { mfa, enrolment } = await securityPage(jar)
    assert.isFalse(mfa.enabled)
    assert.isFalse(mfa.required)
    assert.match(enrolment.secret, /^[A-Z2-7]{32}$/)
    assert.match(enrolment.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/)
    assert.include(enrolment.uri, `secret=${enrolment.secret}`)
    assert.include(enrolment.uri, 'period=30')
    assert.include(enrolment.uri, 'digits=6')

    // The same secret until enrolment is confirmed; showing it writes nothing.
    assert.equal((await securityPage(jar)).enrolment.secret, enrolment.secret)
    assert.isNull(await db.from('user_mfa').where('user_id', user.id).first())
    // Another session of the same user gets its own secret.
    const other = await signIn(user.email, TEST_PASSWORD)
    assert.notEqual((await securityPage(other)).enrolment.secret, enrolment.secret)

    for (const code of ['000000', '12345', codeAt(enrolment.secret, currentStep() + 3), '']) {
      const wrong = await jar.send('post', '/profile/security/enable', { code }, JSON_HEADERS)
      wrong.assertStatus(422)
      assert.equal(CookieJar.json(wrong).errors[0].field, 'code')
    }
    assert.isNull(await db.from('user_mfa').where('user_id', user.id).first())
  })

  test('a current code switches MFA on and shows ten recovery codes once', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const secret = (await securityPage(jar)).enrolment.secret as string

    const enabled = await jar.send('post', '/profile/security/enable', {
      code: codeAt(secret, currentStep()),
    })
    enabled.assertStatus(302)
    enabled.assertHeader('location', '/profile/security')
    const shown = await securityPage(jar)
    const codes = shown.recoveryCodes as string[]
    assert.lengthOf(codes, 10)
    assert.lengthOf(new Set(codes), 10)
    for (const code of codes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)

    const row = await db.from('user_mfa').where('user_id', user.id).first()
    assert.notInclude(row.secret, secret)
    assert.isNotNull(row.enabled_at)
    const stored = await db.from('user_recovery_codes').where('user_id', user.id)
    assert.lengthOf(stored, 10)
    for (const code of stored) assert.notInclude(codes, code.hash)

    // Afterwards neither the secret nor the codes are shown again.
    const after = await securityPage(jar)
    assert.isTrue(after.mfa.enabled)
    assert.equal(after.mfa.recoveryCodesLeft, 10)
    assert.isString(after.mfa.enabledAt)
    assert.isNull(after.enrolment)
    assert.isNull(after.recoveryCodes)
    assert.notInclude(JSON.stringify(after), secret)
    assert.lengthOf(await auditEvents(user.id, 'mfa.enabled'), 1)

    // The same code cannot confirm an enrolment twice.
    const again = await jar.send(
      'post',
      '/profile/security/enable',
      { code: codeAt(secret, currentStep()) },
      JSON_HEADERS
    )
    again.assertStatus(422)
  })
})

test.group('Sign-in with MFA', () => {
  test('the password alone does not sign in; the code does, under a new session id', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff', { mfa: true })
    const jar = await passwordStep(user.email)
    const pendingId = jar.sessionId()

    const home = await jar.get('/')
    home.assertStatus(302)
    home.assertHeader('location', '/login')
    const challenge = await jar.get('/login/mfa')
    challenge.assertStatus(200)
    // Rendered on the server, like the login page.
    assert.include(challenge.body, 'autocomplete="one-time-code"')
    assert.lengthOf(await auditEvents(user.id, 'login.success'), 0)

    const wrong = await sendCode(jar, '000000')
    wrong.assertStatus(422)
    assert.equal(CookieJar.json(wrong).errors[0].field, 'code')
    assert.equal(
      CookieJar.json(wrong).errors[0].message,
      'Ce code est erroné, expiré ou déjà utilisé'
    )
    ;(await jar.get('/')).assertStatus(302)

    const right = await sendCode(jar, await nextCodeFor(user.id))
    right.assertStatus(302)
    right.assertHeader('location', '/')
    assert.notEqual(jar.sessionId(), pendingId)
    ;(await jar.get('/')).assertStatus(200)
    // The challenge is gone with the sign-in.
    const after = await jar.get('/login/mfa')
    after.assertStatus(302)
    after.assertHeader('location', '/')

    assert.lengthOf(await auditEvents(user.id, 'mfa.failure'), 1)
    const success = await auditEvents(user.id, 'mfa.success')
    assert.lengthOf(success, 1)
    assert.deepEqual(JSON.parse(success[0].meta), { method: 'totp' })
    assert.lengthOf(await auditEvents(user.id, 'login.success'), 1)
  })

  test('the second step needs a pending challenge', async () => {
    const { user } = await companyWithUser('staff', { mfa: true })
    const jar = new CookieJar()
    const page = await jar.get('/login/mfa')
    page.assertStatus(302)
    page.assertHeader('location', '/login')
    const post = await jar.send('post', '/login/mfa', { code: await nextCodeFor(user.id) }, CLIENT)
    post.assertStatus(302)
    post.assertHeader('location', '/login')
    ;(await jar.get('/')).assertStatus(302)
  })

  test('a code is accepted once: a replay, or an earlier code, is refused', async ({ assert }) => {
    const { user } = await companyWithUser('staff', { mfa: true })
    const secret = await secretOf(user.id)
    const step = currentStep()
    const code = codeAt(secret, step)

    const first = await passwordStep(user.email)
    ;(await sendCode(first, code)).assertStatus(302)
    ;(await first.get('/')).assertStatus(200)

    const second = await passwordStep(user.email)
    const replay = await sendCode(second, code)
    replay.assertStatus(422)
    assert.equal(CookieJar.json(replay).errors[0].field, 'code')
    const earlier = await sendCode(second, codeAt(secret, step - 1))
    earlier.assertStatus(422)
    ;(await second.get('/')).assertStatus(302)
    // The next time step's code still works.
    ;(await sendCode(second, codeAt(secret, step + 1))).assertStatus(302)
    ;(await second.get('/')).assertStatus(200)
  })

  test('a recovery code signs in once', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const { recoveryCodes } = await enrolUser(user)

    const jar = await passwordStep(user.email)
    // Typed in capitals, without dashes: still the same code.
    const used = await sendCode(jar, recoveryCodes[3].replaceAll('-', '').toUpperCase())
    used.assertStatus(302)
    used.assertHeader('location', '/')
    ;(await jar.get('/')).assertStatus(200)

    const again = await passwordStep(user.email)
    const refused = await sendCode(again, recoveryCodes[3])
    refused.assertStatus(422)
    ;(await again.get('/')).assertStatus(302)
    ;(await sendCode(again, recoveryCodes[4])).assertStatus(302)

    const left = await db
      .from('user_recovery_codes')
      .where('user_id', user.id)
      .whereNull('used_at')
      .count('* as n')
    assert.equal(Number(left[0].n), 8)
    const usedEvents = await auditEvents(user.id, 'mfa.recovery_used')
    assert.lengthOf(usedEvents, 2)
    assert.deepEqual(JSON.parse(usedEvents[1].meta), { left: 8 })
    const success = await auditEvents(user.id, 'mfa.success')
    assert.deepEqual(JSON.parse(success[0].meta), { method: 'recovery' })
  })

  test('wrong codes count in the sign-in throttle with the password failures', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff', { mfa: true })
    // Two wrong passwords, then the right one: the count is kept for the code.
    const jar = new CookieJar()
    for (let i = 0; i < 2; i++) {
      const wrong = await jar.send(
        'post',
        '/login',
        { email: user.email, password: 'not-the-password' },
        JSON_HEADERS
      )
      wrong.assertStatus(422)
    }
    ;(
      await jar.send('post', '/login', { email: user.email, password: TEST_PASSWORD }, CLIENT)
    ).assertHeader('location', '/login/mfa')
    for (let i = 0; i < 3; i++) (await sendCode(jar, '000000')).assertStatus(422)

    // The account is locked: even the right code is refused, with the wait time.
    const locked = await sendCode(jar, await nextCodeFor(user.id))
    locked.assertStatus(422)
    assert.equal(CookieJar.json(locked).errors[0].rule, 'throttle')
    assert.match(CookieJar.json(locked).errors[0].message, /Réessayez dans 15 minute/)
    ;(await jar.get('/')).assertStatus(302)
    const password = await new CookieJar().send(
      'post',
      '/login',
      { email: user.email, password: TEST_PASSWORD },
      JSON_HEADERS
    )
    password.assertStatus(429)
    const failures = await auditEvents(user.id, 'mfa.failure')
    assert.deepEqual(
      failures.map((f) => JSON.parse(f.meta).reason),
      ['code', 'code', 'code', 'throttled']
    )
  })

  test('a password reset link does not skip the second step', async ({ assert }) => {
    const { user } = await companyWithUser('staff', { mfa: true })
    await new CookieJar().send('post', '/password/forgot', { email: user.email })
    const mail = await lastMailTo(user.email)
    assert.match(mail!.path!, /^\/password\/reset\//)

    const jar = new CookieJar()
    const password = 'a-brand-new-passphrase'
    const reset = await jar.send('post', mail!.path!, {
      password,
      passwordConfirmation: password,
    })
    reset.assertStatus(302)
    reset.assertHeader('location', '/login/mfa')
    ;(await jar.get('/')).assertStatus(302)
    ;(await sendCode(jar, await nextCodeFor(user.id))).assertHeader('location', '/')
    ;(await jar.get('/')).assertStatus(200)
  })
})

test.group('MFA required by role', () => {
  test('an admin who has not enrolled is sent to enrolment from every other page', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin', { mfa: false })
    for (const url of ['/', '/settings/roles', '/profile', '/contacts', '/settings/company']) {
      const page = await client.get(url).loginAs(user).redirects(0)
      page.assertStatus(302)
      page.assertHeader('location', '/profile/security')
    }
    const mutation = await client
      .put('/profile')
      .loginAs(user)
      .withCsrfToken()
      .json({ fullName: 'Not yet', locale: 'fr' })
      .redirects(0)
    mutation.assertStatus(302)
    mutation.assertHeader('location', '/profile/security')
    await user.refresh()
    assert.notEqual(user.fullName, 'Not yet')

    const jar = await signIn(user.email, TEST_PASSWORD)
    const security = await securityPage(jar)
    assert.isTrue(security.mfa.required)
    const locale = await jar.send('post', '/locale', { locale: 'en' })
    locale.assertStatus(302)
    assert.notEqual(locale.header('location'), '/profile/security')

    // The API by token is not concerned.
    const token = await tokenFor(user)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)

    // Once enrolled through the page, the pages open.
    const secret = security.enrolment.secret as string
    ;(
      await jar.send('post', '/profile/security/enable', { code: codeAt(secret, currentStep()) })
    ).assertHeader('location', '/profile/security')
    ;(await jar.get('/')).assertStatus(200)
  })

  test('logout stays open to a member who must enrol', async () => {
    const { user } = await companyWithUser('admin', { mfa: false })
    const jar = await signIn(user.email, TEST_PASSWORD)
    const home = await jar.get('/')
    home.assertStatus(302)
    home.assertHeader('location', '/profile/security')
    const out = await jar.send('post', '/logout')
    out.assertHeader('location', '/login')
    ;(await jar.get('/profile/security')).assertHeader('location', '/login')
  })

  test('admins edit the flag through the API; it applies to the role’s members', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const token = await tokenFor(admin)
    const role = await roleWith([{ permission: 'contacts.contact.read' }])
    assert.isFalse(role.mfaRequired)
    const member = await memberOf(company.id, role.key)
    ;(await client.get('/').loginAs(member)).assertStatus(200)

    const updated = await client
      .patch(`/api/v1/admin/roles/${role.id}`)
      .bearerToken(token)
      .json({ mfaRequired: true })
    updated.assertStatus(200)
    assert.isTrue(updated.body().data.mfaRequired)
    const home = await client.get('/').loginAs(member).redirects(0)
    home.assertHeader('location', '/profile/security')
    const entry = await db
      .from('audit_logs')
      .where({ event: 'role.updated', model: 'kernel.role', record_id: String(role.id) })
      .orderBy('id', 'desc')
      .first()
    assert.deepEqual(JSON.parse(entry.changes), { mfaRequired: [false, true] })

    const bad = await client
      .patch(`/api/v1/admin/roles/${role.id}`)
      .bearerToken(token)
      .json({ mfaRequired: 'sometimes' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'mfaRequired')

    const created = await client
      .post('/api/v1/admin/roles')
      .bearerToken(token)
      .json({ name: `Auditeur ${Date.now().toString(36)}`, mfaRequired: true })
    created.assertStatus(201)
    assert.isTrue(created.body().data.mfaRequired)

    // The admin role requires it by default; its grants stay fixed, its flag does not.
    const adminRole = (await client.get('/api/v1/admin/roles').bearerToken(token))
      .body()
      .data.find((r: { key: string }) => r.key === 'admin')
    assert.isTrue(adminRole.mfaRequired)
    ;(
      await client
        .patch(`/api/v1/admin/roles/${adminRole.id}`)
        .bearerToken(token)
        .json({ grants: [] })
    ).assertStatus(409)
    try {
      const off = await client
        .patch(`/api/v1/admin/roles/${adminRole.id}`)
        .bearerToken(token)
        .json({ mfaRequired: false })
      off.assertStatus(200)
      assert.isFalse(off.body().data.mfaRequired)
      const other = await companyWithUser('admin', { mfa: false })
      ;(await client.get('/').loginAs(other.user)).assertStatus(200)
    } finally {
      await db.from('roles').where('key', 'admin').update({ mfa_required: true })
      forgetMfaState()
    }
  })

  test('admins edit the flag on the roles page, admin role included', async ({
    client,
    assert,
  }) => {
    const { user: admin } = await companyWithUser('admin')
    const role = await roleWith([])
    const page = await client.get('/settings/roles').loginAs(admin).withInertia()
    const roles = page.inertiaProps.roles as { id: number; key: string; mfaRequired: boolean }[]
    assert.isTrue(roles.find((r) => r.key === 'admin')!.mfaRequired)
    const adminId = roles.find((r) => r.key === 'admin')!.id

    const saved = await client
      .put('/settings/roles')
      .loginAs(admin)
      .withCsrfToken()
      .json({
        roles: [
          { id: adminId, mfaRequired: true },
          { id: role.id, grants: [], mfaRequired: true },
        ],
      })
      .redirects(0)
    saved.assertStatus(302)
    saved.assertHeader('location', '/settings/roles')
    const row = await db.from('roles').where('id', role.id).first()
    assert.isTrue(Boolean(row.mfa_required))
  })

  test('MFA cannot be switched off while the role requires it; otherwise password and code', async ({
    client,
    assert,
  }) => {
    const { user: admin } = await companyWithUser('admin')
    const refused = await client
      .post('/profile/security/disable')
      .loginAs(admin)
      .withCsrfToken()
      .json({ password: TEST_PASSWORD, code: await nextCodeFor(admin.id) })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertFlashMessage(
      'error',
      'Votre rôle exige la connexion en deux étapes : elle ne peut pas être désactivée.'
    )
    assert.isNotNull((await db.from('user_mfa').where('user_id', admin.id).first())?.enabled_at)

    const { user } = await companyWithUser('staff', { mfa: true })
    const disable = (body: Record<string, string>) =>
      client
        .post('/profile/security/disable')
        .loginAs(user)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json(body)
        .redirects(0)
    const noPassword = await disable({
      password: 'not-my-password',
      code: await nextCodeFor(user.id),
    })
    noPassword.assertStatus(422)
    assert.equal(noPassword.body().errors[0].field, 'password')
    const noCode = await disable({ password: TEST_PASSWORD, code: '000000' })
    noCode.assertStatus(422)
    assert.equal(noCode.body().errors[0].field, 'code')
    ;(await disable({ password: TEST_PASSWORD })).assertStatus(422)

    const done = await disable({ password: TEST_PASSWORD, code: await nextCodeFor(user.id) })
    done.assertStatus(302)
    assert.isNull(await db.from('user_mfa').where('user_id', user.id).first())
    assert.lengthOf(await db.from('user_recovery_codes').where('user_id', user.id), 0)
    assert.lengthOf(await auditEvents(user.id, 'mfa.disabled'), 1)

    // Signing in is back to the password alone.
    const jar = new CookieJar()
    const login = await jar.send('post', '/login', { email: user.email, password: TEST_PASSWORD })
    login.assertHeader('location', '/')
  })

  test('new recovery codes need the password or a code, and replace the old ones', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const { recoveryCodes: old } = await enrolUser(user)
    const regenerate = (body: Record<string, string>) =>
      client
        .post('/profile/security/recovery-codes')
        .loginAs(user)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json(body)
        .redirects(0)
    ;(await regenerate({})).assertStatus(422)
    const wrongPassword = await regenerate({ password: 'not-my-password' })
    wrongPassword.assertStatus(422)
    assert.equal(wrongPassword.body().errors[0].field, 'password')
    // A recovery code does not renew the recovery codes.
    const withRecovery = await regenerate({ code: old[0] })
    withRecovery.assertStatus(422)
    assert.equal(withRecovery.body().errors[0].field, 'code')

    const renewed = await client
      .post('/profile/security/recovery-codes')
      .loginAs(user)
      .withCsrfToken()
      .json({ code: await nextCodeFor(user.id) })
      .redirects(0)
    renewed.assertStatus(302)
    const fresh = renewed.flashMessages().recoveryCodes as string[]
    assert.lengthOf(fresh, 10)
    assert.notIncludeMembers(fresh, old)
    ;(await regenerate({ password: TEST_PASSWORD })).assertStatus(302)
    assert.lengthOf(await auditEvents(user.id, 'mfa.recovery_renewed'), 2)

    const jar = await passwordStep(user.email)
    ;(await sendCode(jar, old[1])).assertStatus(422)
  })
})
