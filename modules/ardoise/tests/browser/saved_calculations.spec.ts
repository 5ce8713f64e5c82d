import { test } from '@japa/runner'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { resolveAccess } from '#kernel/security/access'
import CalculationService from '../../services/calculations.js'

const roof = {
  slate: { length: 400, width: 250 },
  pitchPercent: 60,
  zone: 1,
  situation: 'normale' as const,
  rampant: 7,
  area: 50,
  wastePercent: 5,
  fixing: 'crochet' as const,
}

/** Saves calculations as `userId` would from the calculator, oldest first. */
async function save(userId: number, companyId: number, titles: string[]) {
  const service = new CalculationService((await resolveAccess(userId, companyId))!)
  const saved = []
  for (const title of titles) saved.push(await service.save({ ...roof, title }))
  return saved
}

test.group('Saved slate calculations in a browser', () => {
  test('the list pages forward and back, keeping the search', async ({
    browserContext,
    assert,
  }) => {
    const { user, company } = await companyWithUser('manager')
    // 27 barns (a page holds 25) and two houses the search leaves out.
    const barns = Array.from({ length: 27 }, (_, i) => `Grange ${String(i + 1).padStart(2, '0')}`)
    await save(user.id, company.id, ['Maison Le Goff', ...barns, 'Maison Tanguy'])

    const page = await browserContext.newPage()
    // The first visits may wait for Vite to compile the pages on a cold start.
    page.setDefaultNavigationTimeout(90_000)
    await signIn(page, user.email)
    await page.goto('/ardoise/calculations')
    const rows = page.locator('tbody tr')
    const pager = page.getByRole('navigation', { name: 'Pagination' })
    // The first visit may wait for Vite to compile the page on a cold start.
    await rows.first().waitFor({ timeout: 60_000 })
    await page.assertElementsCount(rows, 25)
    // Newest first; the first page has no way back.
    await page.assertTextContains(rows.first(), 'Maison Tanguy')
    await page.assertNotExists(pager.getByRole('link', { name: 'Première page' }))

    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('grange')
    await page.assertQueryString({ search: 'grange' })
    await page.assertElementsCount(rows, 25)
    await page.assertTextContains(rows.first(), 'Grange 27')

    // Forward: the last two barns, the search kept.
    await pager.getByRole('link', { name: 'Page suivante' }).click()
    await page.waitForURL(/[?&]cursor=/)
    await page.assertElementsCount(rows, 2)
    await page.assertTextContains(rows.nth(0), 'Grange 02')
    await page.assertTextContains(rows.nth(1), 'Grange 01')
    assert.equal(new URL(page.url()).searchParams.get('search'), 'grange')
    await page.assertNotExists(pager.getByRole('link', { name: 'Page suivante' }))
    await page.assertInputValue(page.getByRole('searchbox', { name: 'Rechercher' }), 'grange')

    // Back to the first page by its link, still searching.
    await pager.getByRole('link', { name: 'Première page' }).click()
    await page.assertQueryString({ search: 'grange' })
    await page.assertElementsCount(rows, 25)
    await page.assertTextContains(rows.first(), 'Grange 27')

    // And through the browser's history: forward again, then back.
    await page.goBack()
    await page.waitForURL(/[?&]cursor=/)
    await page.assertElementsCount(rows, 2)
    await page.goBack()
    await page.assertQueryString({ search: 'grange' })
    await page.assertElementsCount(rows, 25)
  }).timeout(120_000)

  test('a saved calculation shows its history', async ({ browserContext }) => {
    const { user } = await companyWithUser('manager')
    const page = await browserContext.newPage()
    page.setDefaultNavigationTimeout(90_000)
    await signIn(page, user.email)

    // Saved from the calculator, on the worked example it opens with.
    await page.goto('/ardoise')
    await page.getByLabel('Titre du calcul').fill('Longère Kerbrat')
    await page.getByRole('button', { name: 'Enregistrer le calcul' }).click()
    await page.waitForURL(/\/ardoise\/calculations\/\d+$/)

    const history = page.getByRole('region', { name: 'Historique' })
    const created = history.locator('[data-event="created"]')
    await created.waitFor({ timeout: 60_000 })
    await page.assertElementsCount(history.locator('[data-event]'), 1)
    await page.assertTextContains(created, 'Création')
    await page.assertTextContains(created, 'manager user')
    await page.assertTextContains(created.locator('dt').first(), 'Titre du calcul')
    await page.assertTextContains(created.locator('[data-field="title"]'), 'Longère Kerbrat')
    await page.assertTextContains(
      created.locator('[data-field="tableLabel"]'),
      'DTU 40.11 (1977/1993) — site normal v1'
    )
  }).timeout(120_000)
})
