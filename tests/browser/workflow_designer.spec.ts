import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { LIFECYCLE_WORKFLOW } from '#modules/contacts/workflow'
import { signIn } from '#tests/helpers/sign_in_page'

test.group('The workflow designer in a browser', (group) => {
  // Workflow versions are the site's: put the module's default back afterwards.
  group.each.teardown(async () => {
    await db.from('workflow_drafts').where('model', 'contacts.contact').delete()
    const latest = await db
      .from('workflow_versions')
      .where('model', 'contacts.contact')
      .max('version as v')
      .first()
    await db.table('workflow_versions').insert({
      model: 'contacts.contact',
      version: Number(latest?.v ?? 1) + 1,
      definition: JSON.stringify(LIFECYCLE_WORKFLOW.definition),
      published_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      published_by: null,
    })
  })

  test('an admin reserves "prospect → client" to managers; staff are refused, a manager moves the contact, the audit shows it', async ({
    browserContext,
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const staff = await memberOf(company.id, 'staff')
    const manager = await memberOf(company.id, 'manager')
    const page = await browserContext.newPage()
    page.on('dialog', (dialog) => dialog.accept())
    await signIn(page, admin.email)

    await page.getByRole('navigation').getByRole('link', { name: 'Workflows' }).click()
    await page.waitForURL('/settings/workflows')
    await page.getByRole('link', { name: 'Concevoir · Cycle de vie client' }).click()
    await page.waitForURL('/settings/workflows/contacts.contact')
    await page.assertVisible(page.getByTestId('workflow-diagram'))
    await page.assertVisible(page.getByTestId('workflow-diagram').getByText('Passer client'))

    // A broken edit first: the transition points nowhere once its target state is renamed.
    await page.getByLabel('Clé 2').fill('client_actif')
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
    await page.assertVisible(page.getByRole('alert'))
    await page.assertTextContains(page.getByRole('alert'), '« client »')
    await page.getByLabel('Clé 2').fill('client')

    await page.getByLabel('Passer client · Responsable').check()
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
    await page.assertVisible(page.getByText('Brouillon enregistré'))

    // Tried on a sample before publishing: a staff member is refused, a manager is not.
    const tryForm = page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: 'Essayer' }) })
    await tryForm.getByLabel('En tant que').selectOption({ label: 'Bureau' })
    await tryForm.getByRole('button', { name: 'Essayer' }).click()
    await page.assertTextContains(page.getByTestId('try-result'), 'Refusé')
    await tryForm.getByLabel('En tant que').selectOption({ label: 'Responsable' })
    await tryForm.getByRole('button', { name: 'Essayer' }).click()
    await page.assertTextContains(page.getByTestId('try-result'), 'Autorisé')

    await page.getByRole('button', { name: 'Publier' }).click()
    await page.assertVisible(page.getByText(/Version \d+ publiée/))

    // A new contact, then the staff member tries "win" over the API: 403.
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(await tokenFor(staff))
      .json({ kind: 'company', name: 'Couvreurs du Léon' })
    const id = created.body().data.id
    const refused = await client
      .post(`/api/v1/contacts/${id}/transitions`)
      .bearerToken(await tokenFor(staff))
      .json({ transition: 'win' })
    refused.assertStatus(403)

    // The manager, in the browser, sees the button and moves the contact.
    await browserContext.clearCookies()
    await signIn(page, manager.email)
    await page.goto(`/contacts/${id}`)
    await page.assertTextContains(page.getByTestId('workflow-state'), 'Prospect')
    await page.getByRole('button', { name: 'Passer client' }).click()
    await page.assertTextContains(page.getByTestId('workflow-state'), 'Client')

    const entry = await db
      .from('audit_logs')
      .where({ model: 'contacts.contact', record_id: String(id), event: 'transition' })
      .first()
    assert.equal(entry.actor_id, manager.id)
  }).timeout(120_000)
})
