import { test } from '@japa/runner'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Profile in a browser', () => {
  test('a wrong current password is a field error; the right one changes the password', async ({
    browserContext,
  }) => {
    const { user } = await companyWithUser('staff')
    const page = await browserContext.newPage()
    await signIn(page, user.email)
    await page.goto('/profile')

    const form = page.locator('[data-form="password"]')
    const next = 'une-toute-nouvelle-phrase'
    await form.getByLabel('Mot de passe actuel').fill('pas-le-bon-mot-de-passe')
    await form.getByLabel('Nouveau mot de passe').fill(next)
    await form.getByLabel('Confirmation du mot de passe').fill(next)
    await form.getByRole('button', { name: 'Changer le mot de passe' }).click()
    await page.assertVisible(form.getByText('Mot de passe incorrect'))

    // The form empties its password fields after each attempt.
    await form.getByLabel('Mot de passe actuel').fill(TEST_PASSWORD)
    await form.getByLabel('Nouveau mot de passe').fill(next)
    await form.getByLabel('Confirmation du mot de passe').fill(next)
    await form.getByRole('button', { name: 'Changer le mot de passe' }).click()
    await page.assertVisible(page.getByText('Mot de passe changé'))

    // The new password opens a new session.
    await browserContext.clearCookies()
    await signIn(page, user.email, next)
  }).timeout(60_000)
})
