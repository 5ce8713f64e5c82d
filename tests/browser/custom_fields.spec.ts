import { test } from '@japa/runner'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Custom fields in a browser', () => {
  test('an admin adds a required "Secteur" select to contacts; it is enforced, shown, filtered, exported and in the API', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    // The admin adds the field.
    await page.getByRole('navigation').getByRole('link', { name: 'Champs personnalisés' }).click()
    await page.waitForURL('/settings/custom-fields')
    await page.getByRole('link', { name: 'Ajouter un champ à « Contact »' }).click()
    await page.waitForURL(/\/settings\/custom-fields\/create/)
    await page.getByLabel('Clé').fill('secteur')
    await page.getByLabel('Type').selectOption({ label: 'Liste de choix' })
    await page.getByLabel('Libellé (français)').fill('Secteur')
    await page.getByLabel('Libellé (anglais)').fill('Sector')
    await page.getByLabel('Obligatoire').check()
    await page.getByLabel('Colonne de la liste').check()
    // Without options first: a field error.
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(
      page.locator('[data-error-for="cf-options"]'),
      'Une liste de choix a besoin d’au moins une option'
    )
    await page.getByLabel('Options').fill('BTP\nIndustrie')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL('/settings/custom-fields')
    await page.assertVisible(page.getByText('Champ « Secteur » ajouté'))
    await page.assertTextContains(page.locator('[data-field="secteur"]'), 'Liste de choix')

    // Creating a contact without it: a field error, nothing saved.
    await page.goto('/contacts/create')
    await page.getByLabel('Nom', { exact: true }).fill('Charpentes du Trégor')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(
      page.locator('[data-error-for="cf-secteur"]'),
      'Ce champ est obligatoire'
    )
    assert.equal(new URL(page.url()).pathname, '/contacts/create')

    // With it: the value is on the detail page.
    await page.locator('#cf-secteur').selectOption('BTP')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/contacts\/\d+$/)
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    await page.assertTextContains(page.locator('[data-custom-value="secteur"]'), 'BTP')

    // A second contact in another sector, through the same form.
    await page.goto('/contacts/create')
    await page.getByLabel('Nom', { exact: true }).fill('Usinage Bigouden')
    await page.locator('#cf-secteur').selectOption('Industrie')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/contacts\/\d+$/)

    // The list has the column and the filter.
    await page.goto('/contacts')
    await page.assertVisible(page.locator('th[data-custom-column="secteur"]'))
    await page.locator('#filter-cf-secteur').selectOption('BTP')
    await page.waitForURL(/cf%5Bsecteur%5D=BTP|cf\[secteur\]=BTP/)
    await page.assertVisible(page.getByRole('link', { name: 'Charpentes du Trégor' }))
    await page.assertNotExists(page.getByRole('link', { name: 'Usinage Bigouden' }))
    await page.assertTextContains(page.locator('td[data-custom-cell="secteur"]'), 'BTP')

    // The CSV export (of the filtered list) carries the value.
    const href = await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')
    const csv = await page.request.get(href!)
    assert.equal(csv.status(), 200)
    const text = await csv.text()
    assert.include(text, 'customFields.secteur')
    assert.match(text, /Charpentes du Trégor;.*;BTP\r\n/)
    assert.notInclude(text, 'Usinage Bigouden')

    // The API returns it under customFields.
    const api = await client.get(`/api/v1/contacts/${id}`).bearerToken(await tokenFor(user))
    api.assertStatus(200)
    assert.deepEqual(api.body().data.customFields, { secteur: 'BTP' })
  }).timeout(120_000)
})
