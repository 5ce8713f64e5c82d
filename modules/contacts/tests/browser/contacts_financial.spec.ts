import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { companyWithUser, memberOf, TEST_PASSWORD } from '#tests/helpers/fixtures'

async function signIn(page: Page, email: string) {
  await page.goto('/login')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.waitForURL('/')
}

test.group('Contacts in a browser: terms of business', () => {
  test('a manager types the credit limit in euros; a technician sees neither it nor its history values', async ({
    browserContext,
    assert,
  }) => {
    const { company, user: manager } = await companyWithUser('manager')
    const technician = await memberOf(company.id, 'technician')

    const page = await browserContext.newPage()
    await signIn(page, manager.email)
    await page.goto('/contacts/create')
    await page.getByLabel('Nom', { exact: true }).fill('Couvertures Kerjean')
    await page.getByLabel('Encours autorisé').fill('15 000,5')
    await page.getByLabel('Délai de paiement').fill('61')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    // Beyond the LME cap: the form says so on the field, nothing is created.
    await page.assertTextContains(page.locator('[data-error-for="paymentTermsDays"]'), '60')
    await page.getByLabel('Délai de paiement').fill('45')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/contacts\/\d+$/)
    const url = page.url()
    await page.assertTextContains(page.getByTestId('credit-limit'), '€')
    // French grouping uses a narrow no-break space: compared with plain spaces.
    const amount = await page.getByTestId('credit-limit').innerText()
    assert.equal(amount.replace(/\s/g, ' ').trim(), '15 000,50 €')
    await page.assertTextContains(page.getByTestId('payment-terms'), '45 jours')
    await page.assertTextContains(
      page.getByTestId('history').locator('[data-field="creditLimitCents"]'),
      '1500050'
    )

    // The edit form shows the amount back in euros.
    await page.goto(`${url}/edit`)
    await page.assertInputValue(page.getByLabel('Encours autorisé'), '15000,50')

    // Another person on the same browser: the technician.
    await browserContext.clearCookies()
    const techPage = await browserContext.newPage()
    await signIn(techPage, technician.email)
    await techPage.goto(url)
    await techPage.assertVisible(techPage.getByRole('heading', { name: 'Couvertures Kerjean' }))
    await techPage.assertNotVisible(techPage.getByTestId('financial'))
    const masked = techPage.getByTestId('history').locator('[data-field="creditLimitCents"]')
    await techPage.assertTextContains(masked, 'valeur masquée')
    await techPage.assertNotVisible(techPage.getByText('1500050'))
  })
})
