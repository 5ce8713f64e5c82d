import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'

/** Fills the new-contact form with a name and submits it; returns the page of the new contact. */
async function createContact(page: Page, name: string, email: string) {
  await page.getByRole('link', { name: 'Nouveau contact' }).first().click()
  await page.waitForURL('/contacts/create')
  await page.getByLabel('Nom', { exact: true }).fill(name)
  await page.getByLabel('E-mail').fill(email)
  await page.getByRole('button', { name: 'Enregistrer' }).click()
  await page.waitForURL(/\/contacts\/\d+$/)
}

test.group('Contacts in a browser', () => {
  test('create contacts through the form and find one with the search box', async ({
    browserContext,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click()
    await page.waitForURL('/contacts')

    await createContact(page, 'Ardoisière Le Goff', 'contact@ardoisiere-legoff.fr')
    await page.assertVisible(page.getByRole('heading', { name: 'Ardoisière Le Goff' }))
    await page.assertTextContains(page.getByTestId('contact-code'), '-')

    await page.goto('/contacts')
    await createContact(page, 'Zinguerie Moreau', 'atelier@zinguerie-moreau.fr')

    await page.goto('/contacts')
    const table = page.getByRole('table')
    await page.assertVisible(table.getByRole('link', { name: 'Ardoisière Le Goff' }))
    await page.assertVisible(table.getByRole('link', { name: 'Zinguerie Moreau' }))

    // Typed without the accent: the search ignores accents and case.
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('ardoisiere')
    await page.assertQueryString({ search: 'ardoisiere' })
    await page.assertNotVisible(table.getByRole('link', { name: 'Zinguerie Moreau' }))
    await page.assertVisible(table.getByRole('link', { name: 'Ardoisière Le Goff' }))

    // The search survives a reload: it lives in the address.
    await page.reload()
    await page.assertInputValue(page.getByRole('searchbox', { name: 'Rechercher' }), 'ardoisiere')
    await page.assertElementsCount(page.getByRole('table').getByRole('row'), 2)
  })
})
