import { test } from '@japa/runner'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Audit trail in a browser', () => {
  test('a contact’s History shows who changed what; the admin page filters by event', async ({
    browserContext,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    await page.goto('/contacts/create')
    await page.getByLabel('Nom', { exact: true }).fill('Charpentes Rivière')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/contacts\/\d+$/)
    const contactUrl = page.url()

    await page.getByRole('link', { name: 'Modifier' }).click()
    await page.waitForURL(/\/edit$/)
    await page.getByLabel('Nom', { exact: true }).fill('Charpentes Rivière et fils')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(contactUrl)

    const history = page.getByTestId('history')
    await page.assertVisible(page.getByRole('heading', { name: 'Historique' }))
    await page.assertElementsCount(history.locator('li'), 2)
    const update = history.locator('li[data-event="updated"]')
    await page.assertTextContains(update, 'Modification')
    await page.assertTextContains(update, 'admin user')
    await page.assertTextContains(update.locator('[data-field="name"]'), 'Charpentes Rivière')
    await page.assertTextContains(
      update.locator('[data-field="name"]'),
      'Charpentes Rivière et fils'
    )

    await page.getByRole('navigation').getByRole('link', { name: "Journal d'audit" }).click()
    await page.waitForURL('/settings/audit')
    await page.getByLabel('Événement').selectOption('updated')
    await page.getByRole('button', { name: 'Filtrer' }).click()
    await page.assertQueryString({ event: 'updated' })
    await page.assertElementsCount(page.getByTestId('audit-table').locator('tbody tr'), 1)
  })
})
