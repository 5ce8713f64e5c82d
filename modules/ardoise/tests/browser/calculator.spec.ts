import { test } from '@japa/runner'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Ardoise calculator in a browser', () => {
  test('the worked example’s figures, refusals explained as the user types, then saved', async ({
    browserContext,
    assert,
  }) => {
    const { user } = await companyWithUser('manager')
    const page = await browserContext.newPage()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    await signIn(page, user.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Calcul ardoise' }).click()
    // The first visit may wait for Vite to compile the page on a cold start.
    await page.waitForURL('/ardoise', { timeout: 60_000 })

    // The form opens on the worked example of the rules: 400×250, 60 %, zone 1, 7 m, 50 m².
    const result = page.locator('[data-result]')
    const figure = (name: string) => result.locator(`[data-figure="${name}"]`)
    await page.assertTextContains(figure('horizontalProjection'), '6,00 m')
    await page.assertTextContains(figure('band'), '2')
    await page.assertTextContains(figure('tablePitch'), '60 %')
    await page.assertTextContains(figure('recouvrement'), '99 mm')
    await page.assertTextContains(figure('pureau'), '150,5 mm')
    await page.assertTextContains(figure('slatesPerM2'), '26,58')
    await page.assertTextContains(figure('totalSlates'), '1\u202f396')
    await page.assertTextContains(figure('hooks'), '110 mm')
    await page.assertTextContains(figure('battensMeters'), '332')
    await page.assertTextContains(result.locator('[data-steps]'), 'Ligne de la table : 60 %')

    // A rafter of 20 m: beyond 16.5 m of projection, a special study.
    await page.getByLabel('Rampant (m)').fill('20')
    const refusal = result.locator('[data-refusal="special_study"]')
    await page.assertVisible(refusal)
    await page.assertTextContains(refusal, '17,15 m')
    await page.assertTextContains(refusal, 'au-delà des 16,5 m')

    // Back to 7 m, at 15 %: no row of the table.
    await page.getByLabel('Rampant (m)').fill('7')
    await page.getByLabel('Pente (%)').fill('15')
    await page.assertTextContains(
      result.locator('[data-refusal="pitch_too_low"]'),
      'Pente minimale pour cette zone et cette tranche : 25 %'
    )

    // A 320 mm slate at 20 %: too short for 3R = 459 mm.
    await page.getByLabel('Pente (%)').fill('20')
    await page.getByLabel('Rampant (m)').fill('3')
    await page.getByLabel('Longueur (mm)').fill('320')
    await page.assertTextContains(
      result.locator('[data-refusal="slate_too_short"]'),
      'au moins 3R = 459 mm'
    )

    // Back to the worked example, compared with a 320×220, then saved.
    await page.getByLabel('Longueur (mm)').fill('400')
    await page.getByLabel('Pente (%)').fill('60')
    await page.getByLabel('Rampant (m)').fill('7')
    await page.assertTextContains(figure('totalSlates'), '1\u202f396')
    const format = await page
      .locator('#compare-0 option', { hasText: '320 × 220' })
      .getAttribute('value')
    await page.locator('#compare-0').selectOption(format!)
    await page.assertVisible(page.locator('[data-compare]'))
    await page.assertTextContains(page.locator('[data-compare]'), '320 × 220')

    await page.getByLabel('Titre du calcul').fill('Maison Le Bihan')
    await page.getByRole('button', { name: 'Enregistrer le calcul' }).click()
    await page.waitForURL(/\/ardoise\/calculations\/\d+$/, { timeout: 60_000 })
    await page.assertTextContains(page.locator('[data-result]'), '1\u202f396')
    await page.assertTextContains(page.locator('body'), 'DTU 40.11 (1977/1993) — site normal v1')

    assert.deepEqual(violations, [])
  }).timeout(120_000)
})
