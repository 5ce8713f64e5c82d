import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import app from '@adonisjs/core/services/app'
import { resolveAccess, forgetAccess } from '#kernel/security/access'
import { record } from '#kernel/audit/audit'
import registry from '#kernel/modules/registry'

/**
 * The terms of business of a contact (credit limit, payment terms) are a
 * field rule of the manifest: holders of contacts.contact.financial see and
 * change them everywhere; nobody else sees them in pages, API, CSV exports or
 * the history, or can change them.
 */

const FINANCIAL = ['creditLimitCents', 'paymentTermsDays']

/** A company, its manager, and a contact with terms of business set by the manager. */
async function scene() {
  const { company, user: manager } = await companyWithUser('manager')
  const token = await tokenFor(manager)
  return { company, manager, token }
}

async function createWithTerms(client: any, token: string) {
  const response = await client.post('/api/v1/contacts').bearerToken(token).json({
    kind: 'company',
    name: 'Toitures Le Goff',
    isCustomer: true,
    creditLimitCents: 1_500_050,
    paymentTermsDays: 45,
  })
  response.assertStatus(201)
  return response.body().data as { id: number; creditLimitCents: number }
}

async function storedTerms(id: number) {
  const row = await db
    .from('contacts')
    .where('id', id)
    .select('credit_limit_cents', 'payment_terms_days', 'name')
    .first()
  return {
    name: row.name,
    creditLimitCents: row.credit_limit_cents === null ? null : Number(row.credit_limit_cents),
    paymentTermsDays: Number(row.payment_terms_days),
  }
}

function csvRows(text: string) {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'))
}

test.group('Contacts: terms of business are a field rule', () => {
  test('the default grants: manager and staff hold the permission, technicians do not', async ({
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    for (const [role, expected] of [
      ['admin', true],
      ['manager', true],
      ['staff', true],
      ['technician', false],
      ['client', false],
    ] as const) {
      const user = await memberOf(company.id, role)
      const access = (await resolveAccess(user.id, company.id))!
      assert.equal(access.can('contacts.contact.financial'), expected, role)
      assert.equal(access.canSeeField('contacts.contact', 'creditLimitCents'), expected, role)
      assert.equal(access.canEditField('contacts.contact', 'paymentTermsDays'), expected, role)
      assert.isTrue(access.canSeeField('contacts.contact', 'name'))
    }
  })

  test('a site upgrading from 1.0.0 gets the default grants; later upgrades leave an admin’s choice', async ({
    assert,
  }) => {
    const manifest = registry.get('contacts')
    const granted = async () =>
      (
        await db
          .from('role_permissions')
          .join('roles', 'roles.id', 'role_permissions.role_id')
          .where('role_permissions.permission', 'contacts.contact.financial')
          .whereIn('roles.key', ['manager', 'staff', 'technician'])
          .select('roles.key')
      )
        .map((row) => row.key as string)
        .sort()
    assert.deepEqual(await granted(), ['manager', 'staff'])
    const revoke = () =>
      db
        .from('role_permissions')
        .where('permission', 'contacts.contact.financial')
        .whereIn('role_id', db.from('roles').where('key', 'staff').select('id'))
        .delete()
    try {
      await revoke()
      // An admin revoked it after 1.1.0: a later upgrade keeps that.
      await manifest.upgrade!({ app, client: db.connection(), from: '1.1.0' })
      assert.deepEqual(await granted(), ['manager'])
      // A site installed at 1.0.0 never had it: the upgrade grants the defaults.
      await manifest.upgrade!({ app, client: db.connection(), from: '1.0.0' })
      assert.deepEqual(await granted(), ['manager', 'staff'])
    } finally {
      forgetAccess()
    }
  })

  test('a manager sets, sees and changes them in the API, pages and CSV export', async ({
    client,
    assert,
  }) => {
    const { manager, token } = await scene()
    const created = await createWithTerms(client, token)
    assert.equal(created.creditLimitCents, 1_500_050)
    assert.deepEqual(await storedTerms(created.id), {
      name: 'Toitures Le Goff',
      creditLimitCents: 1_500_050,
      paymentTermsDays: 45,
    })

    const shown = await client.get(`/api/v1/contacts/${created.id}`).bearerToken(token)
    assert.equal(shown.body().data.paymentTermsDays, 45)
    const list = await client.get('/api/v1/contacts').bearerToken(token)
    assert.equal(list.body().data[0].creditLimitCents, 1_500_050)

    const page = await client.get(`/contacts/${created.id}`).loginAs(manager).withInertia()
    page.assertInertiaComponent('contacts/show')
    assert.equal(page.inertiaProps.contact.creditLimitCents, 1_500_050)
    assert.isTrue(page.inertiaProps.can.financial)
    const edit = await client.get(`/contacts/${created.id}/edit`).loginAs(manager).withInertia()
    assert.equal(edit.inertiaProps.contact.paymentTermsDays, 45)
    assert.isTrue(edit.inertiaProps.can.financial)
    const form = await client.get('/contacts/create').loginAs(manager).withInertia()
    assert.isTrue(form.inertiaProps.can.financial)

    const updated = await client
      .put(`/contacts/${created.id}`)
      .loginAs(manager)
      .withCsrfToken()
      .json({ creditLimitCents: null, paymentTermsDays: '60' })
      .redirects(0)
    updated.assertStatus(302)
    assert.deepEqual(await storedTerms(created.id), {
      name: 'Toitures Le Goff',
      creditLimitCents: null,
      paymentTermsDays: 60,
    })
    await client
      .patch(`/api/v1/contacts/${created.id}`)
      .bearerToken(token)
      .json({ creditLimitCents: 250_000 })

    const csv = await client.get('/api/v1/contacts/export.csv').bearerToken(token)
    csv.assertStatus(200)
    const [header, row] = csvRows(csv.text())
    assert.include(header, 'creditLimit')
    assert.include(header, 'paymentTermsDays')
    assert.equal(row[header.indexOf('creditLimit')], '2500,00')
    assert.equal(row[header.indexOf('paymentTermsDays')], '60')
  })

  test('without the permission they are absent from the API, pages and CSV export', async ({
    client,
    assert,
  }) => {
    const { company, token } = await scene()
    const { id } = await createWithTerms(client, token)
    // A technician (the built-in role), and a custom role that may export.
    const technician = await memberOf(company.id, 'technician')
    const { user: clerk } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read' },
      { permission: 'contacts.contact.export' },
    ])

    for (const user of [technician, clerk]) {
      const bearer = await tokenFor(user)
      const shown = await client.get(`/api/v1/contacts/${id}`).bearerToken(bearer)
      shown.assertStatus(200)
      assert.equal(shown.body().data.name, 'Toitures Le Goff')
      for (const field of FINANCIAL) assert.notProperty(shown.body().data, field)
      const list = await client.get('/api/v1/contacts').bearerToken(bearer)
      for (const field of FINANCIAL) assert.notProperty(list.body().data[0], field)

      const page = await client.get(`/contacts/${id}`).loginAs(user).withInertia()
      page.assertStatus(200)
      for (const field of FINANCIAL) assert.notProperty(page.inertiaProps.contact, field)
      assert.isFalse(page.inertiaProps.can.financial)
    }

    const csv = await client.get('/contacts/export.csv').loginAs(clerk)
    csv.assertStatus(200)
    const [header, row] = csvRows(csv.text())
    assert.notInclude(header, 'creditLimit')
    assert.notInclude(header, 'paymentTermsDays')
    assert.include(header, 'name')
    assert.lengthOf(row, header.length)
    assert.notInclude(csv.text(), '15000,50')
    const api = await client.get('/api/v1/contacts/export.csv').bearerToken(await tokenFor(clerk))
    assert.notInclude(csvRows(api.text())[0], 'creditLimit')
  })

  test('without the permission they cannot be written: 403, nothing saved, the refusal audited', async ({
    client,
    assert,
  }) => {
    const { company, token } = await scene()
    const { id } = await createWithTerms(client, token)
    const { user: editor } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read' },
      { permission: 'contacts.contact.create' },
      { permission: 'contacts.contact.update' },
    ])
    const bearer = await tokenFor(editor)

    const patched = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(bearer)
      .json({ name: 'Renamed', creditLimitCents: 99_999_999 })
    patched.assertStatus(403)
    patched.assertBodyContains({ errors: [{ code: 'E_FORBIDDEN' }] })
    const put = await client
      .put(`/contacts/${id}`)
      .loginAs(editor)
      .withCsrfToken()
      .json({ name: 'Renamed', paymentTermsDays: 0 })
      .redirects(0)
    put.assertStatus(403)
    // Nothing of either write was saved, not even the allowed field.
    assert.deepEqual(await storedTerms(id), {
      name: 'Toitures Le Goff',
      creditLimitCents: 1_500_050,
      paymentTermsDays: 45,
    })

    const before = await db.from('contacts').where('company_id', company.id).count('* as n')
    const posted = await client
      .post('/api/v1/contacts')
      .bearerToken(bearer)
      .json({ kind: 'person', name: 'Sneaky', paymentTermsDays: 60 })
    posted.assertStatus(403)
    const after = await db.from('contacts').where('company_id', company.id).count('* as n')
    assert.equal(Number(after[0].n), Number(before[0].n))

    const refusals = await db
      .from('audit_logs')
      .where({ event: 'access.denied', actor_id: editor.id })
      .orderBy('id')
      .select('meta')
    assert.lengthOf(refusals, 3)
    const meta = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)
    assert.deepInclude(meta(refusals[0].meta), {
      permission: 'contacts.contact.financial',
      model: 'contacts.contact',
      fields: ['creditLimitCents'],
    })
    assert.deepEqual(meta(refusals[1].meta).fields, ['paymentTermsDays'])

    // The same editor changes the other fields freely, and the terms stay.
    const allowed = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(bearer)
      .json({ name: 'Toitures Le Goff & fils' })
    allowed.assertStatus(200)
    assert.notProperty(allowed.body().data, 'creditLimitCents')
    assert.deepEqual(await storedTerms(id), {
      name: 'Toitures Le Goff & fils',
      creditLimitCents: 1_500_050,
      paymentTermsDays: 45,
    })
  })

  test('payment terms are 0 to 60 days (LME), 30 by default; the credit limit is whole cents', async ({
    client,
    assert,
  }) => {
    const { manager, token } = await scene()
    const plain = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Sans conditions' })
    assert.equal(plain.body().data.paymentTermsDays, 30)
    assert.isNull(plain.body().data.creditLimitCents)

    const invalid = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Trop long', paymentTermsDays: 90, creditLimitCents: 10.5 })
    invalid.assertStatus(422)
    const fields = invalid.body().errors.map((e: any) => e.field)
    assert.sameMembers(fields, ['paymentTermsDays', 'creditLimitCents'])
    assert.equal(
      invalid.body().errors.find((e: any) => e.field === 'paymentTermsDays').message,
      'Entre 0 et 60'
    )
    // A cleared field in the form is sent as it is: refused, never defaulted.
    const cleared = await client
      .patch(`/api/v1/contacts/${plain.body().data.id}`)
      .bearerToken(token)
      .json({ paymentTermsDays: '' })
    cleared.assertStatus(422)
    assert.equal(cleared.body().errors[0].field, 'paymentTermsDays')
    const negative = await client
      .patch(`/api/v1/contacts/${plain.body().data.id}`)
      .bearerToken(token)
      .json({ creditLimitCents: -1 })
    negative.assertStatus(422)

    const page = await client
      .put(`/contacts/${plain.body().data.id}`)
      .loginAs(manager)
      .withCsrfToken()
      .header('referer', `/contacts/${plain.body().data.id}/edit`)
      .json({ paymentTermsDays: 61, creditLimitCents: 'beaucoup' })
      .redirects(0)
    page.assertStatus(302)
    page.assertFlashMessage('inputErrorsBag', {
      paymentTermsDays: ['Entre 0 et 60'],
      creditLimitCents: ['Ce champ doit être un nombre'],
    })
    const row = await db.from('contacts').where('id', plain.body().data.id).first()
    assert.equal(Number(row.payment_terms_days), 30)
  })

  test('the history masks their values for readers without the permission', async ({
    client,
    assert,
  }) => {
    const { company, token } = await scene()
    const { id } = await createWithTerms(client, token)
    await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(token)
      .json({ paymentTermsDays: 30, phone: '02 99 00 00 00' })
    // A query-builder write records column names: masked under them too.
    const admin = (await db.from('company_users').where('company_id', company.id).first()) as any
    await db.transaction((trx) =>
      record(trx, {
        event: 'updated',
        model: 'contacts.contact',
        recordId: id,
        before: { credit_limit_cents: 1_500_050 },
        after: { credit_limit_cents: 0 },
        actor: { companyId: company.id, actorId: admin.user_id },
      })
    )

    const technician = await memberOf(company.id, 'technician')
    const hidden = await client
      .get(`/api/v1/history/contacts.contact/${id}`)
      .bearerToken(await tokenFor(technician))
    hidden.assertStatus(200)
    const [bulk, updated, created] = hidden.body().data
    assert.deepEqual(bulk.masked, ['credit_limit_cents'])
    assert.deepEqual(bulk.changes.credit_limit_cents, [null, null])
    assert.sameMembers(updated.masked, ['paymentTermsDays'])
    assert.deepEqual(updated.changes.paymentTermsDays, [null, null])
    assert.deepEqual(updated.changes.phone, [null, '02 99 00 00 00'])
    assert.sameMembers(created.masked, FINANCIAL)
    assert.deepEqual(created.changes.creditLimitCents, [null, null])
    assert.deepEqual(created.changes.name, [null, 'Toitures Le Goff'])
    assert.notInclude(JSON.stringify(hidden.body()), '1500050')

    // The History tab of the page reads the same entries.
    const tab = await client
      .get(`/history/contacts.contact/${id}`)
      .loginAs(technician)
      .accept('json')
    tab.assertStatus(200)
    assert.notInclude(JSON.stringify(tab.body()), '1500050')

    // The admin audit page and API: an auditor without the permission sees them masked.
    const { user: auditor } = await memberWithGrants(company.id, [
      { permission: 'kernel.audit.read' },
    ])
    const audit = await client
      .get(`/api/v1/audit?model=contacts.contact&recordId=${id}`)
      .bearerToken(await tokenFor(auditor))
    audit.assertStatus(200)
    assert.lengthOf(audit.body().data, 3)
    assert.notInclude(JSON.stringify(audit.body()), '1500050')
    const auditPage = await client
      .get(`/settings/audit?model=contacts.contact&recordId=${id}`)
      .loginAs(auditor)
      .withInertia()
    auditPage.assertStatus(200)
    assert.notInclude(JSON.stringify(auditPage.inertiaProps), '1500050')

    // The manager sees the values.
    const shown = await client.get(`/api/v1/history/contacts.contact/${id}`).bearerToken(token)
    const [, managerUpdated, managerCreated] = shown.body().data
    assert.deepEqual(managerUpdated.changes.paymentTermsDays, [45, 30])
    assert.deepEqual(managerCreated.changes.creditLimitCents, [null, 1_500_050])
    assert.deepEqual(managerCreated.masked, [])
  })
})
