import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { Access } from '#kernel/security/access'
import User from '#models/user'
import ContactService from '#modules/contacts/services/contact_service'
import { signIn } from '#tests/helpers/sign_in_page'

/**
 * The identity issue's whole story, as people meet it: an admin shapes a
 * role with the scope "own" and invites someone with it; the invitee sets a
 * password from the mail and then sees only their own records, whichever way
 * they look (list, search, export, API).
 */
test.group('A role with the scope own, from the invitation to the records', () => {
  test('an invited user sees only their own contacts in lists, search, export and API', async ({
    browserContext,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, admin.email)

    // The admin creates the role and grants the contacts module, reading "own".
    await page.getByRole('navigation').getByRole('link', { name: 'Rôles et permissions' }).click()
    await page.waitForURL('/settings/roles')
    const roleName = `Commerciale ${Date.now().toString(36)}`
    await page.getByLabel('Nom du rôle').fill(roleName)
    await page.getByRole('button', { name: 'Créer le rôle' }).click()
    await page.assertVisible(page.getByText(`Rôle « ${roleName} » créé`))
    await page.getByLabel(`Tout le module Contacts pour ${roleName}`).check()
    await page
      .getByLabel(`Portée de Voir les contacts pour ${roleName}`)
      .selectOption({ label: 'Les siennes' })
    await page.getByRole('button', { name: 'Enregistrer la matrice' }).click()
    await page.assertVisible(page.getByText('Rôles et permissions enregistrés'))

    // …and invites her with that role.
    const email = `lea-${Date.now().toString(36)}@test.charpente.fr`
    await page.getByRole('navigation').getByRole('link', { name: 'Utilisateurs' }).click()
    await page.waitForURL('/settings/users')
    await page.getByRole('button', { name: 'Inviter' }).first().click()
    await page.getByLabel('Adresse e-mail').fill(email)
    await page.getByLabel('Nom').fill('Léa Commerciale')
    await page.getByLabel('Rôle').selectOption({ label: roleName })
    await page.locator('[data-invite-form]').getByRole('button', { name: 'Inviter' }).click()
    await page.assertVisible(page.getByText(`Invitation envoyée à ${email}`))

    // Records: one of the admin's, one that will be hers.
    const invited = await User.findByOrFail('email', email)
    const adminAccess = new Access(admin.id, company.id, 'admin', new Map(), [])
    const contacts = new ContactService(adminAccess)
    await contacts.create({ kind: 'company', name: 'Couverture Dubreuil', ownerId: admin.id })
    await contacts.create({ kind: 'company', name: 'Charpente Bréhat', ownerId: invited.id })

    // Signed out, she opens the mail kept by the development mail page and follows the link.
    await browserContext.clearCookies()
    await page.goto('/dev/mails')
    await page
      .getByRole('row', { name: new RegExp(email) })
      .getByRole('link')
      .click()
    // The link carries APP_URL's origin; the test server may listen elsewhere.
    const link = await page.locator('[data-mail-text] a').first().getAttribute('href')
    await page.goto(new URL(link!).pathname)
    const password = 'une-phrase-de-passe-bien-longue'
    await page.getByLabel('Nouveau mot de passe').fill(password)
    await page.getByLabel('Confirmation du mot de passe').fill(password)
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()
    await page.waitForURL('/')

    // The list shows hers only.
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click()
    await page.waitForURL('/contacts')
    const table = page.getByRole('table')
    await page.assertVisible(table.getByRole('link', { name: 'Charpente Bréhat' }))
    await page.assertNotVisible(table.getByRole('link', { name: 'Couverture Dubreuil' }))

    // Searching for the other one finds nothing.
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('Dubreuil')
    await page.assertQueryString({ search: 'Dubreuil' })
    await page.assertVisible(page.getByText('Aucun contact ne correspond.'))

    // The export of the unfiltered list holds hers only.
    await page.goto('/contacts')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter en CSV' }).click(),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    assert.include(csv, 'Charpente Bréhat')
    assert.notInclude(csv, 'Couverture Dubreuil')

    // The admin's record by its address: not found, not forbidden, no data.
    const other = await db
      .from('contacts')
      .where({ company_id: company.id, name: 'Couverture Dubreuil' })
      .first()
    const refused = await page.goto(`/contacts/${other.id}`)
    assert.equal(refused?.status(), 404)
    assert.notInclude(await page.content(), 'Couverture Dubreuil')

    // The API, with a token of hers, answers the same.
    const token = await User.accessTokens.create(invited, ['*'], { name: 'essai' })
    const response = await page.request.get('/api/v1/contacts', {
      headers: { authorization: `Bearer ${token.value!.release()}` },
    })
    assert.equal(response.status(), 200)
    const names = (await response.json()).data.map((c: { name: string }) => c.name)
    assert.deepEqual(names, ['Charpente Bréhat'])
  }).timeout(120_000)
})
