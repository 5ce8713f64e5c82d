import { test } from '@japa/runner'
import type { Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
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

  test('an inventory count on a phone: enter what was found, add an article not on the list, review, validate', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { user, api, warehouse, article } = await stockSite(client)
    const joint = (
      await api.post('/articles', { reference: 'JOINT-1', name: 'Joint torique' })
    ).body().data
    for (const [articleId, quantity] of [
      [article.id, 10000],
      [joint.id, 4000],
    ]) {
      await api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId,
        quantity,
        unitCost: 450,
      })
    }
    // On the shelf but not in the warehouse's stock: not on the count when it opens.
    await api.post('/articles', {
      reference: 'VIS-M8',
      name: 'Vis M8 inox',
      barcode: '3700000000808',
    })

    const page = await browserContext.newPage()
    await page.setViewportSize({ width: 375, height: 812 })
    page.on('dialog', (dialog) => dialog.accept())
    await signIn(page, user.email)
    await page.goto('/stock/counts')
    await page.locator('#count-location').selectOption({ label: 'Magasin central' })
    await page.getByRole('button', { name: 'Ouvrir un inventaire' }).click()
    await page.waitForURL(/\/stock\/counts\/\d+$/)
    const countUrl = page.url()
    await page.assertElementsCount(page.locator('[data-count-line]'), 2)

    await page.getByLabel(/ROUL-6204/).fill('9,5')
    await page.getByLabel(/JOINT-1/).fill('4')

    // The screw is found on the shelf: searched by its barcode, chosen, counted, added.
    const adder = page.getByTestId('add-to-count')
    await adder.getByLabel('Article à ajouter').fill('roul')
    const listed = adder.locator('[data-candidate="ROUL-6204"]')
    await page.assertTextContains(listed, 'déjà dans l’inventaire')
    assert.isTrue(await listed.isDisabled())
    await adder.getByLabel('Article à ajouter').fill('3700000000808')
    await adder.locator('[data-candidate="VIS-M8"]').waitFor()
    await adder.locator('[data-candidate="VIS-M8"]').click()
    await adder.getByLabel(/Quantité comptée/).fill('3')
    await adder.getByRole('button', { name: 'Ajouter à l’inventaire' }).click()
    await page.assertVisible(page.locator('[data-count-line="VIS-M8"]'))
    assert.equal(await page.getByLabel(/VIS-M8/).inputValue(), '3')
    // What was typed on the other lines before adding is still there.
    assert.equal(await page.getByLabel(/ROUL-6204/).inputValue(), '9,5')
    assert.equal(await page.getByLabel(/JOINT-1/).inputValue(), '4')

    // Touch targets stay large and nothing overflows the phone's width.
    const button = await page
      .getByRole('button', { name: 'Enregistrer les quantités' })
      .boundingBox()
    assert.isAtLeast(button!.height, 44)
    assert.isAtMost(
      await page.evaluate<number>('document.documentElement.scrollWidth'),
      375,
      'no horizontal scrolling at 375 px'
    )

    await page.getByRole('button', { name: 'Enregistrer les quantités' }).click()
    await page.assertVisible(page.locator('[data-difference="ROUL-6204"]'))
    assert.equal(await text(page, '[data-difference="ROUL-6204"] [data-value]'), '-0,5')
    assert.equal(await text(page, '[data-difference="VIS-M8"] [data-value]'), '3')
    await page.assertElementsCount(page.getByTestId('differences').locator('tbody tr'), 2)

    // A recount typed but not saved is saved by validating, not lost.
    await page.getByLabel(/JOINT-1/).fill('3')
    await page.getByRole('button', { name: 'Valider l’inventaire' }).click()
    await page.assertTextContains(page.locator('[data-status]'), 'Validé')
    assert.equal(await page.getByTestId('add-to-count').count(), 0)
    await page.getByRole('link', { name: 'Voir l’ajustement' }).click()
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    assert.match(await text(page, '[data-number]'), /^BA-\d{4}-00001$/)
    const lines = await page.locator('tbody tr').allInnerTexts()
    assert.deepEqual(
      lines.map((line) => line.replace(/\s+/g, ' ').split(' ')[0]),
      ['ROUL-6204', 'JOINT-1', 'VIS-M8']
    )
    assert.include(lines[0].replace(/\s/g, ' '), '-0,5 u')
    assert.include(lines[1].replace(/\s/g, ' '), '-1 u')
    assert.include(lines[2].replace(/\s/g, ' '), '3 u')

    // The articles' pages show the new levels.
    await page.getByRole('link', { name: 'VIS-M8' }).click()
    await page.waitForURL(/\/stock\/articles\/\d+$/)
    assert.equal(await text(page, '[data-level="Magasin central"] [data-quantity]'), '3 u')
    await page.goto(`/stock/articles/${article.id}`)
    assert.equal(await text(page, '[data-level="Magasin central"] [data-quantity]'), '9,5 u')
    await page.goto(`/stock/articles/${joint.id}`)
    assert.equal(await text(page, '[data-level="Magasin central"] [data-quantity]'), '3 u')

    // The validated count is listed as such.
    await page.goto('/stock/counts')
    const id = countUrl.split('/').pop()
    await page.assertTextContains(page.locator(`[data-count="${id}"]`), 'Validé')
  }).timeout(120_000)

  test('importing articles with their opening stock from the articles list: a bad row stops the import until excluded', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { company, user } = await stockSite(client)
    const page = await browserContext.newPage()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text())
    })
    await signIn(page, user.email)
    await page.goto('/stock')
    await page.getByRole('link', { name: 'Importer' }).click()
    await page.waitForURL('**/imports?kind=stock.articles')

    const csv = [
      'Référence;Désignation;Catégorie;Prix d’achat HT;Stock minimum;Emplacement;Quantité en stock',
      'FILT-AIR;Filtre à air;Filtres;12,50;2;Magasin central;10',
      'VIS-M8;Vis M8;Visserie;0,10;;Dépôt inconnu;100',
      'JOINT-1;Joint torique;Joints;1,20;;Magasin central;5',
    ].join('\r\n')
    await page.getByLabel('Fichier CSV ou XLSX').setInputFiles({
      name: 'articles.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    })
    await page.getByRole('button', { name: 'Envoyer' }).click()
    await page.waitForURL(/\/imports\/\d+$/)
    assert.equal(await page.locator('[data-field="location"]').inputValue(), 'Emplacement')
    assert.equal(await page.locator('[data-field="quantity"]').inputValue(), 'Quantité en stock')

    await page.getByRole('button', { name: 'Lancer la simulation' }).click()
    await page.assertTextContains(page.locator('[data-count="refuse"] dd'), '1')
    await page.assertTextContains(page.locator('[data-count="create"] dd'), '2')
    // Exactly the unknown location's row, with its reason.
    await page.assertElementsCount(page.locator('tr[data-action="refuse"]'), 1)
    const refused = page.locator('tr[data-line="3"]')
    assert.equal(await refused.getAttribute('data-action'), 'refuse')
    await page.assertTextContains(refused, 'Emplacement inconnu : Dépôt inconnu')
    assert.equal(await page.locator('tr[data-line="2"]').getAttribute('data-action'), 'create')
    assert.equal(await page.locator('tr[data-line="4"]').getAttribute('data-action'), 'create')
    assert.isTrue(await page.getByRole('button', { name: /^Importer \d+ lignes$/ }).isDisabled())

    // Nothing is imported yet.
    const imported = () =>
      db
        .from('stock_articles')
        .where('company_id', company.id)
        .whereIn('reference', ['FILT-AIR', 'VIS-M8', 'JOINT-1'])
        .count('* as n')
        .first()
    assert.equal(Number((await imported()).n), 0)
    const movements = await db.from('stock_movements').where('company_id', company.id)
    assert.lengthOf(movements, 0)

    await page.getByRole('button', { name: 'Exclure les lignes refusées' }).click()
    await page.assertTextContains(page.locator('[data-count="excluded"] dd'), '1')
    await page.assertTextContains(page.locator('[data-count="refuse"] dd'), '0')
    await page.getByRole('button', { name: 'Importer 2 lignes' }).click()
    await page.assertTextContains(page.locator('[data-applied]'), '2 créations')
    assert.equal(Number((await imported()).n), 2)

    // The list shows the articles with their opening stock; the excluded one is absent.
    await page.goto('/stock')
    assert.equal(await text(page, '[data-article="FILT-AIR"] [data-on-hand]'), '10 u')
    assert.equal(await text(page, '[data-article="JOINT-1"] [data-on-hand]'), '5 u')
    await page.assertElementsCount(page.locator('[data-article="VIS-M8"]'), 0)
    await page.locator('[data-article="FILT-AIR"]').getByRole('link').click()
    await page.waitForURL(/\/stock\/articles\/\d+$/)
    assert.equal(await text(page, '[data-level="Magasin central"] [data-quantity]'), '10 u')
    assert.equal(await text(page, '[data-level="Magasin central"] [data-value]'), '125,00 €')
    assert.deepEqual(violations, [])
  }).timeout(120_000)
})
