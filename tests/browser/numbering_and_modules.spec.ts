import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { companyWithUser } from '#tests/helpers/fixtures'
import { createFixtureModules } from '#tests/helpers/fixture_modules'
import { nextNumber } from '#kernel/numbering/numbering'
import moduleAdmin from '#kernel/modules/module_admin'
import moduleManager from '#kernel/modules/module_manager'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Numbering series in a browser', () => {
  test('an admin changes the contacts series: live preview, a field error, then saved', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    for (let i = 0; i < 3; i++) {
      await db.transaction((trx) => nextNumber(trx, company.id, 'contacts.contact'))
    }
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Numérotation' }).click()
    await page.waitForURL('/settings/numbering')
    const row = page.locator('[data-series="contacts.contact"]')
    await page.assertTextContains(row.locator('[data-preview]'), 'CL-00004')
    await row.getByRole('link', { name: 'Modifier Codes contacts' }).click()
    await page.waitForURL(/\/settings\/numbering\/\d+$/)

    const year = String(DateTime.now().setZone('Europe/Paris').year)
    await page.getByLabel('Format').fill('CLI-{YYYY}-{seq:3}')
    await page.assertTextContains(page.locator('[data-live-preview]'), `CLI-${year}-004`)
    // The padding field follows the format, and rewrites it.
    await page.getByLabel('Nombre de chiffres').fill('6')
    await page.assertTextContains(page.locator('[data-live-preview]'), `CLI-${year}-000004`)
    await page.getByLabel('Remise à zéro').selectOption({ label: 'Chaque année' })
    await page.getByLabel('Prochain numéro').fill('2')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(
      page.locator('[data-error-for="series-next"]'),
      'Le numéro 3 est déjà attribué : le prochain numéro doit être au moins 4'
    )

    await page.getByLabel('Prochain numéro').fill('100')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL('/settings/numbering')
    await page.assertVisible(page.getByText('Série « Codes contacts » enregistrée'))
    await page.assertTextContains(row.locator('[data-preview]'), `CLI-${year}-000100`)
    const taken = await db.transaction((trx) => nextNumber(trx, company.id, 'contacts.contact'))
    assert.equal(taken.formatted, `CLI-${year}-000100`)
  }).timeout(120_000)
})

test.group('Module manager in a browser', () => {
  test('disabling contacts removes its menu and pages at once; enabling brings them back', async ({
    browserContext,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, user.email)
    const nav = page.getByRole('navigation')
    await page.assertVisible(nav.getByRole('link', { name: 'Contacts' }))

    try {
      await nav.getByRole('link', { name: 'Modules' }).click()
      await page.waitForURL('/settings/modules')
      const row = page.locator('[data-module="contacts"]')
      await page.assertTextContains(row.locator('[data-state]'), 'Activé')
      page.once('dialog', (dialog) => dialog.accept())
      await row.getByRole('button', { name: 'Désactiver' }).click()
      await page.assertVisible(
        page.getByText('Module « contacts » désactivé (ses données sont conservées)')
      )
      await page.assertTextContains(row.locator('[data-state]'), 'Désactivé')
      await page.assertNotExists(nav.getByRole('link', { name: 'Contacts' }))
      const response = await page.goto('/contacts')
      if (response?.status() !== 404) throw new Error(`/contacts answered ${response?.status()}`)

      await page.goto('/settings/modules')
      await row.getByRole('button', { name: 'Activer', exact: true }).click()
      await page.assertVisible(page.getByText('Modules activés : contacts'))
      await page.assertVisible(nav.getByRole('link', { name: 'Contacts' }))
    } finally {
      if ((await moduleManager.stateOf('contacts')) !== 'enabled') {
        await moduleManager.enable('contacts')
      }
    }
  }).timeout(120_000)

  test('enabling asks before pulling in dependencies; uninstalling shows its dry run first', async ({
    browserContext,
    assert,
  }) => {
    const table = `browser_addon_things_${process.pid}`
    const fixtures = await createFixtureModules('browser', [
      { name: 'brwbase' },
      { name: 'brwaddon', depends: ['brwbase'], tables: [table] },
    ])
    const restore = moduleAdmin.useManager(fixtures.manager)
    try {
      const { user } = await companyWithUser('admin')
      const page = await browserContext.newPage()
      await signIn(page, user.email)
      await page.goto('/settings/modules')

      const addon = page.locator('[data-module="brwaddon"]')
      await addon.getByRole('button', { name: 'Activer', exact: true }).click()
      const confirm = page.locator('[data-enable-confirm="brwaddon"]')
      await page.assertTextContains(confirm, 'Activer « brwaddon » active aussi :')
      await page.assertVisible(confirm.locator('[data-requires="brwbase"]'))
      assert.equal(await fixtures.manager.stateOf('brwbase'), 'not_installed')
      await confirm.getByRole('button', { name: 'Activer avec ses dépendances' }).click()
      await page.assertVisible(page.getByText('Modules activés : brwbase, brwaddon'))
      await page.assertTextContains(addon.locator('[data-state]'), 'Activé')

      await addon.getByRole('button', { name: 'Désinstaller' }).click()
      const plan = page.locator('[data-uninstall-plan="brwaddon"]')
      await page.assertTextContains(plan, table)
      assert.isTrue(await db.connection().schema.hasTable(table))
      await plan.getByRole('button', { name: 'Désinstaller définitivement' }).click()
      await page.assertVisible(page.getByText('Module « brwaddon » désinstallé'))
      await page.assertTextContains(addon.locator('[data-state]'), 'Non installé')
      assert.isFalse(await db.connection().schema.hasTable(table))
    } finally {
      restore()
      await fixtures.cleanup()
    }
  }).timeout(120_000)
})
