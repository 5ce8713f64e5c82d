import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { stockSite } from '../helpers.js'
import { signIn } from '#tests/helpers/sign_in_page'

async function issueTwo(page: Page, articleId: number) {
  await page.goto(`/stock/articles/${articleId}`)
  await page.getByRole('link', { name: 'Sortie', exact: true }).click()
  await page.waitForURL(/\/stock\/movements\/create/)
  await page.getByLabel('Depuis').selectOption({ label: 'Magasin central' })
  await page.getByLabel('Quantité').fill('2')
  await page.getByLabel('Motif').fill('Dépannage urgent')
  await page.getByRole('button', { name: 'Valider le mouvement' }).click()
}

test.group('Stock settings in a browser', () => {
  test('a manager allows negative stock on the module’s settings page, issues below zero, then forbids it again', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { user, article } = await stockSite(client)
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    // Without the setting, an issue with no stock is refused on the form.
    await issueTwo(page, article.id)
    await page.assertTextContains(
      page.locator('[data-error-for="lines-0-quantity"]'),
      'Stock insuffisant'
    )

    // Settings → Stock, in the sidebar.
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages Stock' }).click()
    await page.waitForURL('/settings/modules/stock/settings')
    const allow = page.getByLabel('Autoriser le stock négatif')
    assert.isFalse(await allow.isChecked())
    await allow.check()
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(page.locator('body'), 'Réglages enregistrés')
    await page.reload()
    assert.isTrue(await page.getByLabel('Autoriser le stock négatif').isChecked())

    // The same issue now goes through and takes the warehouse to −2.
    await issueTwo(page, article.id)
    await page.waitForURL(/\/stock\/movements\/\d+$/)
    await page.goto(`/stock/articles/${article.id}`)
    const quantity = await page
      .locator('[data-level="Magasin central"] [data-quantity]')
      .first()
      .innerText()
    assert.equal(quantity.replace(/\s/g, ' ').replace('−', '-').trim(), '-2 u')

    // Forbidden again: refused again.
    await page.goto('/settings/modules/stock/settings')
    await page.getByLabel('Autoriser le stock négatif').uncheck()
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(page.locator('body'), 'Réglages enregistrés')
    await issueTwo(page, article.id)
    await page.assertTextContains(
      page.locator('[data-error-for="lines-0-quantity"]'),
      'Stock insuffisant'
    )
  }).timeout(120_000)
})
