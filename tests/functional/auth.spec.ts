import { test } from '@japa/runner'
import { companyWithUser, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'

test.group('Login and logout', () => {
  test('the login page renders', async ({ client }) => {
    await companyWithUser('staff')
    const response = await client.get('/login').withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('auth/login')
  })

  test('a wrong password is refused with a field error', async ({ client }) => {
    const { user } = await companyWithUser('staff')
    const response = await client
      .post('/login')
      .withCsrfToken()
      .header('referer', '/login')
      .form({ email: user.email, password: 'not-the-password' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', {
      email: ['Adresse e-mail ou mot de passe incorrect'],
    })
  })

  test('the right password signs in and opens the dashboard', async ({ client }) => {
    const { user } = await companyWithUser('staff')
    const login = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: user.email, password: TEST_PASSWORD })
      .redirects(0)
    login.assertStatus(302)
    login.assertHeader('location', '/')

    const home = await client.get('/').loginAs(user).withInertia()
    home.assertStatus(200)
    home.assertInertiaComponent('dashboard')
  })

  test('pages need a signed-in user', async ({ client }) => {
    const response = await client.get('/').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })
})

test.group('Interface language', () => {
  test('French by default whatever the browser says; the switch sticks to the account', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const page = await client
      .get('/')
      .loginAs(user)
      .header('accept-language', 'en-US,en')
      .withInertia()
    assert.equal(page.inertiaProps.locale, 'fr')
    assert.equal(page.inertiaProps.messages['shell.dashboard'], 'Tableau de bord')

    const switched = await client
      .post('/locale')
      .loginAs(user)
      .withCsrfToken()
      .json({ locale: 'en' })
      .redirects(0)
    switched.assertStatus(302)
    await user.refresh()
    assert.equal(user.locale, 'en')
    const english = await client.get('/').loginAs(user).withInertia()
    assert.equal(english.inertiaProps.locale, 'en')
    assert.equal(english.inertiaProps.messages['shell.dashboard'], 'Dashboard')
  })

  test('API validation messages follow the token owner’s language', async ({ client, assert }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const french = await client.post('/api/v1/contacts').bearerToken(token).json({ kind: 'person' })
    assert.equal(french.body().errors[0].message, 'Ce champ est obligatoire')
    user.locale = 'en'
    await user.save()
    const english = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person' })
    assert.equal(english.body().errors[0].message, 'This field is required')
  })
})

test.group('Sign-in throttling', () => {
  test('the 6th wrong password in a row for one account is refused with the wait time', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    for (let i = 0; i < 5; i++) {
      const response = await client
        .post('/login')
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ email: user.email, password: `wrong-${i}-password` })
      response.assertStatus(422)
    }
    const sixth = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email: user.email, password: 'wrong-again-password' })
    sixth.assertStatus(429)
    assert.equal(sixth.body().errors[0].rule, 'throttle')
    assert.match(sixth.body().errors[0].message, /Réessayez dans 15 minute/)
    assert.isAbove(Number(sixth.header('retry-after')), 800)

    // Even the right password waits: the account is locked, not the guess.
    const right = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email: user.email, password: TEST_PASSWORD })
    right.assertStatus(429)

    // A page gets the same refusal as a form error on the email field.
    const page = await client
      .post('/login')
      .withCsrfToken()
      .header('referer', '/login')
      .form({ email: user.email, password: TEST_PASSWORD })
      .redirects(0)
    page.assertStatus(302)
    page.assertFlashMessage('inputErrorsBag', {
      email: ['Trop de tentatives de connexion. Réessayez dans 15 minute(s).'],
    })
  })

  test('a success clears the account’s failures', async ({ client }) => {
    const { user } = await companyWithUser('staff')
    const attempt = (password: string) =>
      client
        .post('/login')
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ email: user.email, password })
        .redirects(0)
    for (let i = 0; i < 4; i++) (await attempt('not-the-password')).assertStatus(422)
    ;(await attempt(TEST_PASSWORD)).assertStatus(302)
    for (let i = 0; i < 4; i++) (await attempt('not-the-password')).assertStatus(422)
    ;(await attempt(TEST_PASSWORD)).assertStatus(302)
  })
})

test.group('Translations shared once', () => {
  test('sent to a client without them, not again once it holds them, anew for another language', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const first = await client.get('/').loginAs(user).withInertia()
    first.assertStatus(200)
    assert.equal(first.body().props.messages['shell.dashboard'], 'Tableau de bord')
    const [key, once] = Object.entries(first.body().onceProps).find(
      ([, v]: [string, any]) => v.prop === 'messages'
    ) as [string, { prop: string }]

    // The client says it holds that table: the visit comes without it.
    const next = await client
      .get('/contacts')
      .loginAs(user)
      .withInertia()
      .header('x-inertia-except-once-props', key)
    next.assertStatus(200)
    assert.notProperty(next.body().props, 'messages')
    assert.deepEqual(next.body().onceProps[key], once)

    // Another language is another table, under another key.
    await client.post('/locale').loginAs(user).withCsrfToken().json({ locale: 'en' }).redirects(0)
    await user.refresh()
    const english = await client
      .get('/')
      .loginAs(user)
      .withInertia()
      .header('x-inertia-except-once-props', key)
    assert.equal(english.body().props.messages['shell.dashboard'], 'Dashboard')
    assert.notProperty(english.body().onceProps, key)
  })
})
