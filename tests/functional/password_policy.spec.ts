import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { issueToken, peekToken, type TokenPurpose } from '#kernel/users/tokens'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieJar, signIn } from '#tests/helpers/browser_session'

/**
 * The password policy on every path where a password is chosen: a common or
 * leaked password, or one containing the account's email, is a field error
 * (422 with JSON, in the interface language) and nothing changes.
 */

const JSON_ACCEPT = { accept: 'application/json' }
const GOOD = 'slate roofs under the rain'
const FR_COMMON = /trop courant/
const EN_COMMON = /too common/
const FR_EMAIL = /ne doit pas contenir votre adresse e-mail/
const EN_EMAIL = /must not contain your email address/

/** The errors of a 422 JSON answer, by field. */
function errorsOf(body: string) {
  const parsed = JSON.parse(body) as { errors: { field: string; rule: string; message: string }[] }
  return parsed.errors
}

function passwordError(response: { status(): number; body: string }) {
  if (response.status() !== 422) {
    throw new Error(`expected 422, got ${response.status()}: ${response.body.slice(0, 200)}`)
  }
  return errorsOf(response.body).find((e) => e.field === 'password')
}

async function englishJar() {
  const jar = new CookieJar()
  ;(await jar.send('post', '/locale', { locale: 'en' }, JSON_ACCEPT)).status()
  return jar
}

const both = (password: string) => ({ password, passwordConfirmation: password })

test.group('Password policy: setup', () => {
  test('the first admin cannot choose a common password or their email', async ({ assert }) => {
    const usersBefore = await db.from('users').count('* as n')
    const body = (password: string, email = 'anna@kerouac.fr') => ({
      companyName: 'Toitures Kerouac',
      fullName: 'Anna Kerouac',
      email,
      ...both(password),
    })
    const jar = new CookieJar()
    for (const password of ['password123', 'Azerty123', 'qwertyuiop']) {
      const error = passwordError(await jar.send('post', '/setup', body(password), JSON_ACCEPT))
      assert.equal(error?.rule, 'commonPassword', password)
      assert.match(error!.message, FR_COMMON)
    }
    const withEmail = passwordError(
      await jar.send('post', '/setup', body('anna@kerouac.fr'), JSON_ACCEPT)
    )
    assert.equal(withEmail?.rule, 'passwordContainsEmail')
    assert.match(withEmail!.message, FR_EMAIL)
    const withLocal = passwordError(
      await jar.send('post', '/setup', body('ANNA.KEROUAC-1987', 'anna.kerouac@x.fr'), JSON_ACCEPT)
    )
    assert.equal(withLocal?.rule, 'passwordContainsEmail')

    const english = await englishJar()
    const error = passwordError(
      await english.send('post', '/setup', body('password123'), JSON_ACCEPT)
    )
    assert.match(error!.message, EN_COMMON)

    const usersAfter = await db.from('users').count('* as n')
    assert.equal(Number(usersAfter[0].n), Number(usersBefore[0].n))
  })
})

for (const purpose of ['invite', 'reset'] as TokenPurpose[]) {
  const path = (secret: string) => `/password/${purpose}/${secret}`

  test.group(`Password policy: ${purpose} link`, () => {
    test('refuses a common password or the email, keeps the link, then accepts a good one', async ({
      assert,
    }) => {
      const { user } = await companyWithUser('staff')
      const secret = await issueToken(user.id, purpose)
      const hashBefore = (await db.from('users').where('id', user.id).first()).password

      const jar = new CookieJar()
      const common = passwordError(
        await jar.send('post', path(secret), both('iloveyou'), JSON_ACCEPT)
      )
      assert.equal(common?.rule, 'commonPassword')
      assert.match(common!.message, FR_COMMON)

      const local = user.email.split('@')[0]
      const withEmail = passwordError(
        await jar.send('post', path(secret), both(`${local.toUpperCase()}!2026`), JSON_ACCEPT)
      )
      assert.equal(withEmail?.rule, 'passwordContainsEmail')
      assert.match(withEmail!.message, FR_EMAIL)

      const english = await englishJar()
      const inEnglish = passwordError(
        await english.send('post', path(secret), both(user.email), JSON_ACCEPT)
      )
      assert.match(inEnglish!.message, EN_EMAIL)

      // Nothing changed: same hash, the link still works.
      const after = await db.from('users').where('id', user.id).first()
      assert.equal(after.password, hashBefore)
      assert.isNotNull(await peekToken(secret, purpose))

      const done = await jar.send('post', path(secret), both(GOOD))
      done.assertStatus(302)
      done.assertHeader('location', '/')
      await User.verifyCredentials(user.email, GOOD)
    }).timeout(30_000)
  })
}

test.group('Password policy: profile', () => {
  test('a new password cannot be common or contain the email', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    const change = (password: string) =>
      jar.send(
        'put',
        '/profile/password',
        { currentPassword: TEST_PASSWORD, ...both(password) },
        JSON_ACCEPT
      )

    const common = passwordError(await change('Password1'))
    assert.equal(common?.rule, 'commonPassword')
    assert.match(common!.message, FR_COMMON)
    const pattern = passwordError(await change('abcdefghijk'))
    assert.equal(pattern?.rule, 'commonPassword')
    const withEmail = passwordError(await change(`my ${user.email} password`))
    assert.equal(withEmail?.rule, 'passwordContainsEmail')
    assert.match(withEmail!.message, FR_EMAIL)

    await User.verifyCredentials(user.email, TEST_PASSWORD)
    const done = await jar.send('put', '/profile/password', {
      currentPassword: TEST_PASSWORD,
      ...both(GOOD),
    })
    done.assertStatus(302)
    done.assertHeader('location', '/profile')
    await User.verifyCredentials(user.email, GOOD)
  }).timeout(30_000)

  test('signing in with an existing password is not checked against the list', async () => {
    // The list applies when a password is chosen, not to accounts that already exist.
    const { user } = await companyWithUser('staff')
    user.password = 'password123'
    await user.save()
    await signIn(user.email, 'password123')
  }).timeout(30_000)
})
