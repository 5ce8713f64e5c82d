import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { memberOf } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'
import { signIn } from '#tests/helpers/sign_in_page'

async function text(page: Page, selector: string) {
  return (await page.locator(selector).first().innerText()).replace(/\s/g, ' ').trim()
}

test.group('Stock locations in a browser', () => {
  test('a van’s page: what it holds, renamed and given to a technician, archived only once emptied, then restored', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { api, user, company, article } = await stockSite(client)
    const tech = await memberOf(company.id, 'technician')
    const van = (await api.post('/locations', { name: 'Camionnette 1', kind: 'van' })).body().data
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: van.id,
      articleId: article.id,
      quantity: 3000,
      unitCost: 450,
    })

    const page = await browserContext.newPage()
    page.on('dialog', (dialog) => dialog.accept())
    await signIn(page, user.email)
    await page.goto('/stock/locations')
    await page.getByRole('link', { name: 'Camionnette 1' }).click()
    await page.waitForURL(`/stock/locations/${van.id}`)
    assert.equal(await text(page, '[data-level="ROUL-6204"] [data-quantity]'), '3 u')
    assert.equal(await text(page, '[data-location-value]'), '13,50 €')

    // Renamed and given to Yann.
    await page.getByLabel('Désignation').fill('Camionnette Yann')
    await page.getByLabel('Technicien').selectOption(String(tech.id))
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(
      page.locator('body'),
      'Emplacement « Camionnette Yann » enregistré.'
    )
    assert.equal(await text(page, '[data-holder]'), tech.fullName!)
    await page.assertTextContains(page.getByTestId('history'), 'Camionnette Yann')

    // It still holds stock: archiving is refused, with the reason.
    await page.getByRole('button', { name: 'Archiver l’emplacement' }).click()
    await page.assertTextContains(
      page.locator('[data-error-for="archived"]'),
      'contient encore du stock'
    )

    // Emptied back to the warehouse (the transfer form starts from this van), then archived.
    await page.getByRole('link', { name: 'Transfert', exact: true }).click()
    await page.waitForURL(/\/stock\/movements\/create/)
    await page.getByLabel('Vers').selectOption({ label: 'Magasin central' })
    await page.getByLabel('Référence').first().fill('ROUL-6204')
    await page.getByLabel('Quantité').fill('3')
    await page.getByRole('button', { name: 'Valider le mouvement' }).click()
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    await page.goto(`/stock/locations/${van.id}`)
    await page.assertVisible(page.getByTestId('no-stock-here'))
    await page.getByRole('button', { name: 'Archiver l’emplacement' }).click()
    await page.assertTextContains(page.locator('body'), 'Emplacement « Camionnette Yann » archivé.')
    await page.assertVisible(page.locator('[data-archived]'))

    await page.goto('/stock/locations')
    await page.assertNotExists(page.locator('[data-location="Camionnette Yann"]'))
    await page.getByRole('link', { name: 'Voir les emplacements archivés' }).click()
    await page.waitForURL('/stock/locations?archived=1')
    await page.getByRole('link', { name: 'Camionnette Yann' }).click()
    await page.getByRole('button', { name: 'Restaurer l’emplacement' }).click()
    await page.assertTextContains(
      page.locator('body'),
      'Emplacement « Camionnette Yann » restauré.'
    )
  }).timeout(120_000)
})
