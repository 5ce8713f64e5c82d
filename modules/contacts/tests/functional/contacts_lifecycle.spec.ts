import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { LIFECYCLE_WORKFLOW } from '../../workflow.js'
import type { WorkflowDefinition } from '#kernel/workflow/types'

const MODEL = 'contacts.contact'

async function scene() {
  const { company, user: admin } = await companyWithUser('admin')
  const staff = await memberOf(company.id, 'staff')
  const manager = await memberOf(company.id, 'manager')
  return {
    company,
    admin,
    tokens: {
      admin: await tokenFor(admin),
      staff: await tokenFor(staff),
      manager: await tokenFor(manager),
    },
  }
}

async function newContact(client: any, token: string, body: Record<string, unknown> = {}) {
  const response = await client
    .post('/api/v1/contacts')
    .bearerToken(token)
    .json({ kind: 'company', name: `Prospect ${Math.random().toString(36).slice(2, 7)}`, ...body })
  response.assertStatus(201)
  return response.body().data
}

const fire = (client: any, token: string, id: number, transition: string) =>
  client.post(`/api/v1/contacts/${id}/transitions`).bearerToken(token).json({ transition })

/** Publishes a definition through the admin API; returns the new version. */
async function publish(client: any, token: string, definition: WorkflowDefinition) {
  const draft = await client
    .put(`/api/v1/admin/workflows/${MODEL}/draft`)
    .bearerToken(token)
    .json({ definition })
  draft.assertStatus(200)
  const published = await client.post(`/api/v1/admin/workflows/${MODEL}/publish`).bearerToken(token)
  published.assertStatus(201)
  return published.body().data.version as number
}

/** The module's default, with "win" reserved to managers. */
function managersOnly(): WorkflowDefinition {
  const definition = structuredClone(LIFECYCLE_WORKFLOW.definition)
  definition.transitions[0].allow = { roles: ['manager'] }
  return definition
}

test.group('Contacts: customer lifecycle workflow', (group) => {
  // Workflow versions are the site's: put the default back after tests that publish.
  group.each.teardown(async () => {
    await db.from('workflow_drafts').where('model', MODEL).delete()
    const latest = await db
      .from('workflow_versions')
      .where('model', MODEL)
      .max('version as v')
      .first()
    if (Number(latest?.v ?? 1) > 1) {
      const { user } = await companyWithUser('admin')
      const version = Number(latest.v) + 1
      await db.table('workflow_versions').insert({
        model: MODEL,
        version,
        definition: JSON.stringify(LIFECYCLE_WORKFLOW.definition),
        published_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
        published_by: user.id,
      })
    }
  })

  test('a new contact is a prospect; firing moves it, sets the declared field and is audited', async ({
    client,
    assert,
  }) => {
    const { tokens } = await scene()
    const contact = await newContact(client, tokens.staff, { isCustomer: false })
    assert.equal(contact.lifecycle, 'prospect')

    const won = await fire(client, tokens.staff, contact.id, 'win')
    won.assertStatus(200)
    assert.include(won.body().data, { from: 'prospect', to: 'client', transition: 'win' })
    const after = (
      await client.get(`/api/v1/contacts/${contact.id}`).bearerToken(tokens.staff)
    ).body().data
    assert.equal(after.lifecycle, 'client')
    assert.isTrue(after.isCustomer, 'the "set" action made it a customer')

    const entry = await db
      .from('audit_logs')
      .where({ model: MODEL, record_id: String(contact.id), event: 'transition' })
      .first()
    assert.exists(entry)
    assert.deepInclude(JSON.parse(entry.meta), {
      transition: 'win',
      from: 'prospect',
      to: 'client',
    })
    assert.deepEqual(JSON.parse(entry.changes).lifecycle, ['prospect', 'client'])

    // From "client", "win" no longer applies: 409; an unknown transition: 422.
    const again = await fire(client, tokens.staff, contact.id, 'win')
    again.assertStatus(409)
    assert.equal(again.body().errors[0].code, 'E_WORKFLOW_WRONG_STATE')
    ;(await fire(client, tokens.staff, contact.id, 'teleport')).assertStatus(422)
    ;(
      await client
        .post(`/api/v1/contacts/${contact.id}/transitions`)
        .bearerToken(tokens.staff)
        .json({})
    ).assertStatus(422)
  })

  test('an admin restricts "win" to managers: staff get 403 in API and page, managers succeed; older contacts keep their version', async ({
    client,
    assert,
  }) => {
    const { tokens } = await scene()
    const older = await newContact(client, tokens.staff)
    const version = await publish(client, tokens.admin, managersOnly())
    assert.isAbove(version, 1)

    const contact = await newContact(client, tokens.staff)
    const refused = await fire(client, tokens.staff, contact.id, 'win')
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].code, 'E_WORKFLOW_FORBIDDEN')

    ;(await fire(client, tokens.manager, contact.id, 'win')).assertStatus(200)
    // The contact created before the new version still runs under the old one.
    ;(await fire(client, tokens.staff, older.id, 'win')).assertStatus(200)
  })

  test('the page route answers 403 to staff, and shows the transitions a user may fire', async ({
    client,
    assert,
  }) => {
    const { company, tokens } = await scene()
    const staff = await memberOf(company.id, 'staff')
    const manager = await memberOf(company.id, 'manager')
    await publish(client, tokens.admin, managersOnly())
    const contact = await newContact(client, tokens.admin)

    const shown = await client.get(`/contacts/${contact.id}`).loginAs(staff).withInertia()
    shown.assertStatus(200)
    assert.equal(shown.inertiaProps.lifecycle.state.key, 'prospect')
    assert.deepEqual(shown.inertiaProps.lifecycle.transitions, [])
    const forManager = await client.get(`/contacts/${contact.id}`).loginAs(manager).withInertia()
    assert.deepEqual(
      forManager.inertiaProps.lifecycle.transitions.map((t: any) => t.key),
      ['win']
    )

    const posted = await client
      .post(`/contacts/${contact.id}/transitions`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ transition: 'win' })
      .redirects(0)
    posted.assertStatus(403)
    const ok = await client
      .post(`/contacts/${contact.id}/transitions`)
      .loginAs(manager)
      .withCsrfToken()
      .form({ transition: 'win' })
      .redirects(0)
    ok.assertStatus(302)
    const row = await db.from('contacts').where('id', contact.id).first()
    assert.equal(row.lifecycle, 'client')
  })

  test('a failed guard answers 422 with its reason; the designer tries it on a sample first', async ({
    client,
    assert,
  }) => {
    const { tokens } = await scene()
    const definition = structuredClone(LIFECYCLE_WORKFLOW.definition)
    definition.transitions[0].guards = [
      {
        field: 'siret',
        op: 'not_empty',
        message: {
          fr: 'Le SIRET est requis pour un client',
          en: 'A SIRET is required for a client',
        },
      },
    ]
    const draft = await client
      .put(`/api/v1/admin/workflows/${MODEL}/draft`)
      .bearerToken(tokens.admin)
      .json({ definition })
    draft.assertStatus(200)

    const tried = await client
      .post(`/api/v1/admin/workflows/${MODEL}/try`)
      .bearerToken(tokens.admin)
      .header('accept-language', 'en')
      .json({ transition: 'win', state: 'prospect', role: 'staff', values: {} })
    tried.assertStatus(200)
    assert.deepInclude(tried.body().data, { of: 'draft', allowed: false, code: 'E_WORKFLOW_GUARD' })
    const passes = await client
      .post(`/api/v1/admin/workflows/${MODEL}/try`)
      .bearerToken(tokens.admin)
      .json({
        transition: 'win',
        state: 'prospect',
        role: 'staff',
        values: { siret: '73282932000074' },
      })
    assert.deepInclude(passes.body().data, { allowed: true, to: 'client' })

    await client.post(`/api/v1/admin/workflows/${MODEL}/publish`).bearerToken(tokens.admin)
    const bare = await newContact(client, tokens.staff)
    const refused = await fire(client, tokens.staff, bare.id, 'win')
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'E_WORKFLOW_GUARD')
    assert.equal(refused.body().errors[0].message, 'Le SIRET est requis pour un client')
    const row = await db.from('contacts').where('id', bare.id).first()
    assert.equal(row.lifecycle, 'prospect', 'nothing written')

    const complete = await newContact(client, tokens.staff, { siret: '73282932000074' })
    ;(await fire(client, tokens.staff, complete.id, 'win')).assertStatus(200)
  })

  test('broken definitions are refused with one error per problem', async ({ client, assert }) => {
    const { tokens } = await scene()
    const definition = structuredClone(LIFECYCLE_WORKFLOW.definition) as any
    definition.states[0].initial = false
    definition.transitions[1].to = 'archived'
    const response = await client
      .put(`/api/v1/admin/workflows/${MODEL}/draft`)
      .bearerToken(tokens.admin)
      .json({ definition })
    response.assertStatus(422)
    const fields = response.body().errors.map((e: any) => e.field)
    assert.includeMembers(fields, ['definition.states', 'definition.transitions.1.to'])

    const unreachable = structuredClone(LIFECYCLE_WORKFLOW.definition) as any
    unreachable.states.push({ key: 'lost', label: { fr: 'Perdu', en: 'Lost' } })
    const second = await client
      .put(`/api/v1/admin/workflows/${MODEL}/draft`)
      .bearerToken(tokens.admin)
      .json({ definition: unreachable })
    second.assertStatus(422)
    assert.equal(second.body().errors[0].rule, 'unreachable')
    assert.isNull(await db.from('workflow_drafts').where('model', MODEL).first())

    // Only holders of kernel.workflows.manage reach the designer's API.
    ;(await client.get('/api/v1/admin/workflows').bearerToken(tokens.manager)).assertStatus(403)
    const listed = await client.get('/api/v1/admin/workflows').bearerToken(tokens.admin)
    assert.deepInclude(
      listed.body().data.map((w: any) => w.model),
      MODEL
    )
  })

  test('outside the scope of the update permission, a contact is not found', async ({
    client,
    assert,
  }) => {
    const { company, tokens } = await scene()
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.update', scope: 'own' },
    ])
    const contact = await newContact(client, tokens.admin)
    const response = await fire(client, await tokenFor(user), contact.id, 'win')
    response.assertStatus(404)
    assert.notInclude(response.text(), contact.name)
  })

  test('concurrent conflicting transitions: exactly one wins, the others get 409', async ({
    client,
    assert,
  }) => {
    const { tokens } = await scene()
    const contact = await newContact(client, tokens.staff)
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => fire(client, tokens.staff, contact.id, 'win'))
    )
    const statuses = responses.map((r: any) => r.status()).sort()
    assert.equal(statuses.filter((s: number) => s === 200).length, 1)
    assert.isTrue(
      statuses.every((s: number) => s === 200 || s === 409),
      statuses.join(',')
    )
    const entries = await db
      .from('audit_logs')
      .where({ model: MODEL, record_id: String(contact.id), event: 'transition' })
    assert.lengthOf(entries, 1)
  })
})
