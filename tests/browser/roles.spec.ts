import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf } from '#tests/helpers/fixtures'
import { Access } from '#kernel/security/access'
import ContactService from '#modules/contacts/services/contact_service'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('Roles and the access explainer in a browser', () => {
  test('create a role, grant contacts with the scope own, and see why a record is refused', async ({
    browserContext,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, admin.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Rôles et permissions' }).click()
    await page.waitForURL('/settings/roles')

    const name = `Commercial ${Date.now().toString(36)}`
    await page.getByLabel('Nom du rôle').fill(name)
    await page.getByRole('button', { name: 'Créer le rôle' }).click()
    await page.assertVisible(page.getByText(`Rôle « ${name} » créé`))
    const role = await db.from('roles').where('name', name).first()

    // The module's bulk toggle, then the read permission's scope, then one cell off.
    await page.getByLabel(`Tout le module Contacts pour ${name}`).check()
    await page
      .getByLabel(`Portée de Voir les contacts pour ${name}`)
      .selectOption({ label: 'Les siennes' })
    await page.getByLabel(`${name} · Supprimer les contacts`).uncheck()
    await page.getByRole('button', { name: 'Enregistrer la matrice' }).click()
    await page.assertVisible(page.getByText('Rôles et permissions enregistrés'))

    const grants = await db
      .from('role_permissions')
      .where('role_id', role.id)
      .orderBy('permission')
      .select('permission', 'scope')
    assert.deepEqual(grants, [
      { permission: 'contacts.contact.create', scope: 'all' },
      { permission: 'contacts.contact.export', scope: 'all' },
      { permission: 'contacts.contact.financial', scope: 'all' },
      { permission: 'contacts.contact.import', scope: 'all' },
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.update', scope: 'all' },
    ])

    const member = await memberOf(company.id, role.key)
    const contact = await new ContactService(
      new Access(admin.id, company.id, 'admin', new Map(), [])
    ).create({ kind: 'company', name: 'Pas à lui', ownerId: admin.id })

    await page.getByRole('link', { name: 'Explication des accès' }).click()
    await page.waitForURL('/settings/access-explainer')
    await page.getByLabel('Membre').selectOption({ label: member.fullName! })
    await page.getByLabel('Type de fiche').selectOption('contacts.contact')
    await page.getByLabel('N° de la fiche').fill(String(contact.id))
    await page.getByRole('button', { name: 'Expliquer' }).click()
    const decision = page.getByTestId('decision')
    await page.assertVisible(decision)
    await page.assertTextContains(decision, 'Refusé')
    await page.assertTextContains(decision, `Rôle : ${name}`)
    await page.assertTextContains(decision, 'Responsable de la fiche : ne correspond pas')
  }).timeout(120_000)
})
