import type { Page } from 'playwright'
import { TEST_PASSWORD } from '#tests/helpers/fixtures'
import { passSecondStep } from '#tests/helpers/mfa'

/**
 * Signs a user in through the login form in a browser, typing their next
 * code when the site asks for the second step; waits for the dashboard.
 */
export async function signIn(page: Page, email: string, password = TEST_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill(password)
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await passSecondStep(page, email)
  await page.waitForURL('/')
}
