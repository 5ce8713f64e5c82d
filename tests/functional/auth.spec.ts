import { test } from '@japa/runner'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'

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
    response.assertFlashMessage('inputErrorsBag', { email: ['Adresse e-mail ou mot de passe incorrect'] })
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
