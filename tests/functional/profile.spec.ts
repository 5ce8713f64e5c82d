import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieJar, signIn, lastMailTo } from '#tests/helpers/browser_session'

const NEW_PASSWORD = 'another-long-passphrase'

test.group('Profile', () => {
  test('name and language are saved', async ({ client, assert }) => {
    const { user } = await companyWithUser('technician')
    const page = await client.get('/profile').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('profile')
    assert.equal(page.inertiaProps.profile.email, user.email)

    const saved = await client
      .put('/profile')
      .loginAs(user)
      .withCsrfToken()
      .json({ fullName: 'Jean Dupont', locale: 'en' })
      .redirects(0)
    saved.assertStatus(302)
    await user.refresh()
    assert.equal(user.fullName, 'Jean Dupont')
    assert.equal(user.locale, 'en')
  })

  test('a password change needs the current password and ends the other sessions', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const here = await signIn(user.email, TEST_PASSWORD)
    const elsewhere = await signIn(user.email, TEST_PASSWORD)

    const wrong = await here.send('put', '/profile/password', {
      currentPassword: 'not-my-password',
      password: NEW_PASSWORD,
      passwordConfirmation: NEW_PASSWORD,
    })
    wrong.assertStatus(302)
    assert.notEqual(wrong.header('location'), '/profile')
    const api = await client
      .put('/profile/password')
      .loginAs(user)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({
        currentPassword: 'not-my-password',
        password: NEW_PASSWORD,
        passwordConfirmation: NEW_PASSWORD,
      })
    api.assertStatus(422)
    assert.equal(api.body().errors[0].field, 'currentPassword')
    const tooShort = await client
      .put('/profile/password')
      .loginAs(user)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ currentPassword: TEST_PASSWORD, password: 'short', passwordConfirmation: 'short' })
    tooShort.assertStatus(422)
    ;(await elsewhere.get('/')).assertStatus(200)

    const changed = await here.send('put', '/profile/password', {
      currentPassword: TEST_PASSWORD,
      password: NEW_PASSWORD,
      passwordConfirmation: NEW_PASSWORD,
    })
    changed.assertStatus(302)
    changed.assertHeader('location', '/profile')
    ;(await here.get('/')).assertStatus(200)
    ;(await elsewhere.get('/')).assertStatus(302)
    await signIn(user.email, NEW_PASSWORD)
  })

  test('an email change needs the current password', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const { user: other } = await companyWithUser('staff')
    const put = (body: Record<string, unknown>) =>
      client
        .put('/profile/email')
        .loginAs(user)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json(body)
        .redirects(0)
    const wrong = await put({ currentPassword: 'nope-nope-nope', email: 'new@test.charpente.fr' })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'currentPassword')
    const taken = await put({ currentPassword: TEST_PASSWORD, email: other.email })
    taken.assertStatus(422)
    assert.equal(taken.body().errors[0].field, 'email')
    const address = `moved-${Date.now()}@test.charpente.fr`
    ;(await put({ currentPassword: TEST_PASSWORD, email: address.toUpperCase() })).assertStatus(302)
    await user.refresh()
    assert.equal(user.email, address)
  })
})

test.group('Password reset', () => {
  test('the answer is the same whether the account exists or not', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const ask = (email: string) =>
      client.post('/password/forgot').withCsrfToken().withInertia().json({ email })
    const known = await ask(user.email)
    const unknown = await ask(`nobody-${Date.now()}@test.charpente.fr`)
    known.assertStatus(200)
    unknown.assertStatus(200)
    assert.deepEqual(known.inertiaProps.sent, unknown.inertiaProps.sent)
    assert.equal(known.inertiaProps.sent, true)
    assert.deepEqual(
      Object.keys(known.inertiaProps).sort(),
      Object.keys(unknown.inertiaProps).sort()
    )

    const json = (email: string) =>
      client
        .post('/password/forgot')
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ email })
    const a = await json(user.email)
    const b = await json(`nobody-else-${Date.now()}@test.charpente.fr`)
    assert.equal(a.status(), b.status())
    assert.deepEqual(a.body(), b.body())
    const mails = await db.from('dev_mails').where('to', user.email)
    assert.lengthOf(mails, 2)
  })

  test('the reset link sets a new password once, and ends the old sessions', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const old = await signIn(user.email, TEST_PASSWORD)
    await new CookieJar().send('post', '/password/forgot', { email: user.email })
    const mail = await lastMailTo(user.email)
    assert.match(mail!.subject, /Réinitialisation/)
    assert.match(mail!.path!, /^\/password\/reset\//)

    const body = { password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD }
    const jar = new CookieJar()
    const done = await jar.send('post', mail!.path!, body)
    done.assertStatus(302)
    done.assertHeader('location', '/')
    ;(await jar.get('/')).assertStatus(200)
    ;(await old.get('/')).assertStatus(302)
    await signIn(user.email, NEW_PASSWORD)

    const again = await client
      .post(mail!.path!)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ password: 'yet-another-password', passwordConfirmation: 'yet-another-password' })
    again.assertStatus(422)
    const fresh = await User.findOrFail(user.id)
    assert.isTrue(await fresh.verifyPassword(NEW_PASSWORD))
  })

  test('an expired reset link is refused; an invitation link does not reset', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    await new CookieJar().send('post', '/password/forgot', { email: user.email })
    const mail = await lastMailTo(user.email)
    const invitePath = mail!.path!.replace('/reset/', '/invite/')
    const asInvite = await client.get(invitePath).withInertia()
    assert.isFalse(asInvite.inertiaProps.valid)

    await db
      .from('user_tokens')
      .where('user_id', user.id)
      .update({ expires_at: '2000-01-01 00:00:00' })
    const page = await client.get(mail!.path!).withInertia()
    assert.isFalse(page.inertiaProps.valid)
    const refused = await client
      .post(mail!.path!)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD })
    refused.assertStatus(422)
  })
})

test.group('Dev mails', () => {
  test('the mail page is not registered in production, and refuses there', async ({ assert }) => {
    const source = await import('node:fs').then((fs) =>
      fs.readFileSync(new URL('../../start/routes/admin_users.ts', import.meta.url), 'utf8')
    )
    assert.match(source, /if \(!app\.inProduction\)/)
    const { default: DevMailsController } = await import('#controllers/dev_mails_controller')
    const app = (await import('@adonisjs/core/services/app')).default
    const original = Object.getOwnPropertyDescriptor(app, 'inProduction')
    Object.defineProperty(app, 'inProduction', { value: true, configurable: true })
    try {
      await assert.rejects(
        () => new DevMailsController().index({ inertia: {} } as any),
        /Not found/
      )
    } finally {
      if (original) Object.defineProperty(app, 'inProduction', original)
      else delete (app as any).inProduction
    }
  })
})
