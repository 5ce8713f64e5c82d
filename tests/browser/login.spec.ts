import { test } from '@japa/runner'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'

test.group('Login page in a browser', () => {
  test('a wrong password shows the error under the e-mail field', async ({ visit, assert }) => {
    const { user } = await companyWithUser('staff')
    const page = await visit('/login')

    await page.getByLabel('Adresse e-mail').fill(user.email)
    await page.getByLabel('Mot de passe').fill(`${TEST_PASSWORD}-wrong`)
    await page.getByRole('button', { name: 'Se connecter' }).click()

    await page.assertVisible(page.getByText('Adresse e-mail ou mot de passe incorrect'))
    assert.equal(await page.getByLabel('Adresse e-mail').getAttribute('aria-invalid'), 'true')
    await page.assertPath('/login')
    // The password is not kept; the e-mail is.
    await page.assertInputValue(page.getByLabel('Mot de passe'), '')
    await page.assertInputValue(page.getByLabel('Adresse e-mail'), user.email)
  })

  test('the right password opens the dashboard', async ({ visit }) => {
    const { user } = await companyWithUser('staff')
    const page = await visit('/login')

    await page.getByLabel('Adresse e-mail').fill(user.email)
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()

    await page.assertPath('/')
    await page.assertVisible(page.getByRole('heading', { name: 'Tableau de bord' }))
  })
  test('before its script runs, the page cannot send the password in the address', async ({
    browserContext,
    assert,
  }) => {
    // The server-rendered page alone, as a slow connection shows it first.
    const page = await browserContext.newPage()
    await page.route('**/*.{js,ts,svelte}*', (route) => route.abort())
    await page.route('**/@vite/**', (route) => route.abort())
    await page.goto('/login')
    const button = page.getByRole('button', { name: 'Se connecter' })
    await page.assertVisible(button)
    assert.isTrue(await button.isDisabled())
    assert.equal(await page.locator('form').getAttribute('method'), 'post')
  })
})
