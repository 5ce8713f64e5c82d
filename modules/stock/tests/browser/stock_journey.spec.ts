import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { companyWithUser } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'
import { signIn } from '#tests/helpers/sign_in_page'

/** French amounts use narrow no-break spaces: compared with plain spaces. */
async function text(page: Page, selector: string) {
  return (await page.locator(selector).first().innerText()).replace(/\s/g, ' ').trim()
}

async function postMovement(
  page: Page,
  type: 'Entrée' | 'Sortie' | 'Transfert',
  fields: { from?: string; to?: string; quantity: string; cost?: string; reason?: string }
) {
  await page.getByRole('link', { name: type, exact: true }).click()
  await page.waitForURL(/\/stock\/movements\/create/)
  if (fields.from) await page.getByLabel('Depuis').selectOption({ label: fields.from })
  if (fields.to) await page.getByLabel('Vers').selectOption({ label: fields.to })
  await page.getByLabel('Quantité').fill(fields.quantity)
  if (fields.cost) await page.getByLabel('Coût unitaire HT').fill(fields.cost)
  if (fields.reason) await page.getByLabel('Motif').fill(fields.reason)
  await page.getByRole('button', { name: 'Valider le mouvement' }).click()
}

test.group('Stock in a browser', () => {
  test('a van, 10 received, 3 transferred to the van, 2 issued from it: levels, value, history', async ({
    browserContext,
    assert,
  }) => {
    const { user } = await companyWithUser('manager')
    const page = await browserContext.newPage()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) {
        violations.push(message.text())
      }
    })
    await signIn(page, user.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Stock', exact: true }).click()
    await page.waitForURL('/stock')
    await page.assertTextContains(page.locator('main'), 'Aucun article pour le moment')

    // Locations: the warehouse, then the van.
    await page.getByRole('link', { name: 'Emplacements' }).click()
    await page.waitForURL('/stock/locations')
    await page.getByLabel('Désignation').fill('Magasin central')
    await page.getByRole('button', { name: 'Créer l’emplacement' }).click()
    await page.assertVisible(page.locator('[data-location="Magasin central"]'))
    await page.getByLabel('Désignation').fill('Camionnette Paul')
    await page.getByLabel('Type').selectOption('van')
    await page.getByLabel('Technicien').selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Créer l’emplacement' }).click()
    await page.assertVisible(page.locator('[data-location="Camionnette Paul"]'))

    // The article.
    await page.goto('/stock')
    await page.getByRole('link', { name: 'Nouvel article' }).first().click()
    await page.waitForURL('/stock/articles/create')
    await page.getByLabel('Référence').fill('ROUL-6204')
    await page.getByLabel('Désignation').fill('Roulement 6204 2RS')
    await page.getByLabel('Prix d’achat HT').fill('4,50')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/stock\/articles\/\d+$/)
    const articleUrl = page.url()
    await page.assertTextContains(page.locator('main'), 'Aucun stock de cet article')

    // A transfer beyond the stock is refused on the form, nothing posted.
    await postMovement(page, 'Transfert', {
      from: 'Magasin central',
      to: 'Camionnette Paul',
      quantity: '3',
    })
    await page.assertTextContains(
      page.locator('[data-error-for="lines-0-quantity"]'),
      'Stock insuffisant'
    )

    await page.goto(articleUrl)
    await postMovement(page, 'Entrée', { to: 'Magasin central', quantity: '10', cost: '4,50' })
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    assert.match(await text(page, '[data-number]'), /^BE-\d{4}-00001$/)

    await page.goto(articleUrl)
    await postMovement(page, 'Transfert', {
      from: 'Magasin central',
      to: 'Camionnette Paul',
      quantity: '3',
    })
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    assert.match(await text(page, '[data-number]'), /^BT-\d{4}-00001$/)

    await page.goto(articleUrl)
    await postMovement(page, 'Sortie', {
      from: 'Camionnette Paul',
      quantity: '2',
      reason: 'Remplacement roulement pompe P3',
    })
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    assert.match(await text(page, '[data-number]'), /^BS-\d{4}-00001$/)

    // The article: 7 in the warehouse, 1 in the van, 8 in all, worth 36 €.
    await page.goto(articleUrl)
    assert.equal(await text(page, '[data-level="Magasin central"] [data-quantity]'), '7 u')
    assert.equal(await text(page, '[data-level="Magasin central"] [data-value]'), '31,50 €')
    assert.equal(await text(page, '[data-level="Camionnette Paul"] [data-quantity]'), '1 u')
    assert.equal(await text(page, '[data-level="Camionnette Paul"] [data-value]'), '4,50 €')
    assert.equal(await text(page, '[data-total-quantity]'), '8 u')
    assert.equal(await text(page, '[data-total-value]'), '36,00 €')
    assert.equal(await text(page, '[data-average-cost]'), '4,50 €')
    const history = page.getByTestId('history')
    await page.assertElementsCount(history.locator('tbody tr'), 3)
    const issue = history.locator('tbody tr').first()
    await page.assertTextContains(issue, 'BS-')
    await page.assertTextContains(issue, 'Remplacement roulement pompe P3')
    await page.assertTextContains(issue, 'Camionnette Paul')
    assert.include((await issue.innerText()).replace(/\s/g, ' '), '9,00 €')

    // The list and the locations page agree.
    await page.goto('/stock')
    assert.equal(await text(page, '[data-article="ROUL-6204"] [data-on-hand]'), '8 u')
    await page.goto('/stock/locations')
    assert.equal(await text(page, '[data-location="Magasin central"] [data-value]'), '31,50 €')
    assert.equal(await text(page, '[data-location="Camionnette Paul"] [data-value]'), '4,50 €')
    assert.equal(await text(page, '[data-total-value]'), '36,00 €')

    // The van's page lists what it holds; from there, the article list filtered by the van.
    await page.getByRole('link', { name: 'Camionnette Paul' }).click()
    await page.waitForURL(/\/stock\/locations\/\d+$/)
    assert.equal(await text(page, '[data-level="ROUL-6204"] [data-quantity]'), '1 u')
    assert.equal(await text(page, '[data-location-value]'), '4,50 €')
    await page.getByRole('link', { name: 'Voir ces articles dans la liste' }).click()
    await page.waitForURL(/\/stock\?locationId=\d+/)
    await page.assertVisible(page.locator('[data-article="ROUL-6204"]'))

    assert.deepEqual(violations, [])
  }).timeout(120_000)

  test('an inventory count on a phone: enter what was found, review, validate', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { user, api, warehouse, article } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 10000,
      unitCost: 450,
    })
    const page = await browserContext.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    page.on('dialog', (dialog) => dialog.accept())
    await signIn(page, user.email)
    await page.goto('/stock/counts')
    await page.getByLabel('Emplacement').selectOption({ label: 'Magasin central' })
    await page.getByRole('button', { name: 'Ouvrir un inventaire' }).click()
    await page.waitForURL(/\/stock\/counts\/\d+$/)
    await page.getByLabel(/ROUL-6204/).fill('9,5')
    await page.getByRole('button', { name: 'Enregistrer les quantités' }).click()
    await page.assertVisible(page.locator('[data-difference="ROUL-6204"]'))
    assert.equal(await text(page, '[data-difference="ROUL-6204"] [data-value]'), '-0,5')
    await page.getByRole('button', { name: 'Valider l’inventaire' }).click()
    await page.assertTextContains(page.locator('[data-status]'), 'Validé')
    await page.getByRole('link', { name: 'Voir l’ajustement' }).click()
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    assert.match(await text(page, '[data-number]'), /^BA-\d{4}-00001$/)
  }).timeout(120_000)
})
