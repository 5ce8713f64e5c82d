import { test } from '@japa/runner'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { resolveAccess } from '#kernel/security/access'
import ContactService from '#modules/contacts/services/contact_service'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126, 0x90), Buffer.from('PE\0\0')])

test.group('Attachments in a browser', () => {
  test('a manager attaches documents to a contact, sees a refused file’s error, removes one', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const access = (await resolveAccess(user.id, company.id))!
    const contact = await new ContactService(access).create({
      kind: 'company',
      name: 'Zinguerie Le Goff',
      ownerId: user.id,
    })
    const page = await browserContext.newPage()
    await signIn(page, user.email)
    await page.goto(`/contacts/${contact.id}`)
    const section = page.getByTestId('attachments')
    await page.assertTextContains(section, 'Aucune pièce jointe.')

    const file = page.getByLabel('Fichier', { exact: true })
    await file.setInputFiles({ name: 'kbis.pdf', mimeType: 'application/pdf', buffer: EXE })
    await page.getByRole('button', { name: 'Joindre' }).click()
    await page.assertTextContains(
      page.locator('[data-error-for="attachment-file"]'),
      "Ce type de fichier n'est pas accepté"
    )

    await file.setInputFiles({ name: 'kbis.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.getByRole('button', { name: 'Joindre' }).click()
    await page.assertVisible(section.getByRole('link', { name: 'kbis.pdf' }))
    await page.assertNotVisible(page.locator('[data-error-for="attachment-file"]'))

    await file.setInputFiles({ name: 'toit.png', mimeType: 'image/png', buffer: PNG })
    await page.getByRole('button', { name: 'Joindre' }).click()
    await page.assertVisible(section.getByRole('link', { name: 'toit.png' }))
    await page.assertVisible(section.locator('img[src$="/thumbnail"]'))

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('link', { name: 'kbis.pdf' }).click(),
    ])
    assert.equal(download.suggestedFilename(), 'kbis.pdf')

    page.once('dialog', (dialog) => dialog.accept())
    await section
      .locator('li', { hasText: 'kbis.pdf' })
      .getByRole('button', { name: 'Supprimer' })
      .click()
    await page.assertNotVisible(section.getByRole('link', { name: 'kbis.pdf' }))
    await page.assertVisible(section.getByRole('link', { name: 'toit.png' }))
  })
})
