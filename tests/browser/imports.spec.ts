import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { contactsCsv } from '#tests/helpers/imports'

test.group('Imports in a browser', () => {
  test('a manager uploads a file, maps a column, sees the refused rows, excludes them and imports the rest', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const page = await browserContext.newPage()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text())
    })
    await signIn(page, user.email)
    await page.goto('/contacts')
    await page.getByRole('link', { name: 'Importer' }).click()
    await page.waitForURL('**/imports?kind=contacts.contacts')
    await page.assertTextContains(page.locator('[data-empty="imports"]'), 'Aucun import')

    // "Nom commercial" is no title the import knows: the user maps it by hand.
    const csv = contactsCsv(
      30,
      { 12: ['', 'Entreprise', 'douze@', 'oui', '', '', '', '30'] },
      'nav'
    ).replace('Raison sociale', 'Nom commercial')
    await page.getByLabel('Fichier CSV ou XLSX').setInputFiles({
      name: 'clients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'latin1'),
    })
    await page.getByRole('button', { name: 'Envoyer' }).click()
    await page.waitForURL(/\/imports\/\d+$/)
    await page.assertTextContains(page.locator('[data-file-name]'), 'clients.csv')
    assert.equal(await page.locator('[data-field="email"]').inputValue(), 'E-mail')
    assert.equal(await page.locator('[data-field="name"]').inputValue(), '')
    await page.locator('[data-field="name"]').selectOption('Nom commercial')

    await page.getByRole('button', { name: 'Lancer la simulation' }).click()
    await page.assertTextContains(page.locator('[data-count="refuse"] dd'), '1')
    await page.assertTextContains(page.locator('[data-count="create"] dd'), '29')
    const refused = page.locator('tr[data-line="13"]')
    await page.assertTextContains(refused, 'Adresse e-mail invalide')
    await page.assertTextContains(refused, 'Valeur obligatoire')
    assert.isTrue(await page.getByRole('button', { name: /^Importer \d+ lignes$/ }).isDisabled())

    await page.getByRole('button', { name: 'Exclure les lignes refusées' }).click()
    await page.assertTextContains(page.locator('[data-count="excluded"] dd'), '1')
    await page.assertTextContains(page.locator('[data-count="refuse"] dd'), '0')

    await page.getByRole('button', { name: 'Importer 29 lignes' }).click()
    await page.assertTextContains(page.locator('[data-applied]'), '29 créations')
    const count = await db.from('contacts').where('company_id', company.id).count('* as n').first()
    assert.equal(Number(count.n), 29)

    // The next file with the same columns comes with the mapping chosen by hand.
    await page.goto('/imports?kind=contacts.contacts')
    await page.getByLabel('Fichier CSV ou XLSX').setInputFiles({
      name: 'encore.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'latin1'),
    })
    await page.getByRole('button', { name: 'Envoyer' }).click()
    await page.waitForURL(/\/imports\/\d+$/)
    assert.equal(await page.locator('[data-field="name"]').inputValue(), 'Nom commercial')
    assert.deepEqual(violations, [])
  }).timeout(120_000)
})
