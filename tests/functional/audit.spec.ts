import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import {
  auditedInsert,
  auditedUpdate,
  auditedDelete,
  auditedSave,
  auditedDestroy,
  record,
} from '#kernel/audit/audit'
import { registerAuditedModel } from '#kernel/audit/models'
import { validateManifest } from '#kernel/modules/manifest'
import Company from '#models/company'

async function apiUser(role = 'admin') {
  const { company, user } = await companyWithUser(role)
  return { company, user, token: await tokenFor(user) }
}

async function entriesFor(model: string, recordId: number | string) {
  const rows = await db
    .from('audit_logs')
    .where({ model, record_id: String(recordId) })
    .orderBy('id')
  return rows.map((row) => ({
    ...row,
    changes: row.changes ? JSON.parse(row.changes) : null,
    meta: row.meta ? JSON.parse(row.meta) : null,
  }))
}

async function lastEvent(event: string, where: Record<string, unknown> = {}) {
  const row = await db
    .from('audit_logs')
    .where({ event, ...where })
    .orderBy('id', 'desc')
    .first()
  return row ? { ...row, meta: row.meta ? JSON.parse(row.meta) : null } : null
}

test.group('Audit trail: contacts', () => {
  test('create, update and delete write entries with the changed fields only', async ({
    client,
    assert,
  }) => {
    const { token, user, company } = await apiUser()
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .header('x-request-id', 'req-audit-1')
      .json({ kind: 'company', name: 'Ardoises Kerjean', email: 'a@kerjean.fr', tags: ['neuf'] })
    created.assertStatus(201)
    const id = created.body().data.id

    const updated = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(token)
      .json({ name: 'Ardoises Kerjean et fils', email: 'a@kerjean.fr', phone: '02 98 00 00 00' })
    updated.assertStatus(200)
    // Nothing changed: no entry.
    await client.patch(`/api/v1/contacts/${id}`).bearerToken(token).json({ email: 'a@kerjean.fr' })
    ;(await client.delete(`/api/v1/contacts/${id}`).bearerToken(token)).assertStatus(204)

    const entries = await entriesFor('contacts.contact', id)
    assert.deepEqual(
      entries.map((e) => e.event),
      ['created', 'updated', 'deleted']
    )
    const [create, update, remove] = entries
    assert.equal(create.actor_id, user.id)
    assert.equal(create.company_id, company.id)
    assert.equal(create.request_id, 'req-audit-1')
    assert.isNotNull(create.ip)
    assert.deepEqual(create.changes.name, [null, 'Ardoises Kerjean'])
    assert.deepEqual(create.changes.tags, [null, ['neuf']])
    assert.notProperty(create.changes, 'searchText')
    assert.notProperty(create.changes, 'createdAt')

    assert.deepEqual(update.changes, {
      name: ['Ardoises Kerjean', 'Ardoises Kerjean et fils'],
      phone: [null, '02 98 00 00 00'],
    })
    assert.deepEqual(remove.changes.name, ['Ardoises Kerjean et fils', null])
    assert.deepEqual(remove.changes.email, ['a@kerjean.fr', null])
  })

  test('archive and restore are audited', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('admin')
    const contact = await client
      .post('/api/v1/contacts')
      .bearerToken(await tokenFor(user))
      .json({ kind: 'person', name: 'Jeanne' })
    const id = contact.body().data.id
    // Archive through the reference hook: pretend another module points at it.
    const { registerReferenceCheck } = await import('#kernel/modules/references')
    const unregister = registerReferenceCheck('test', {
      model: 'contacts.contact',
      count: async (recordId) => (recordId === id ? 1 : 0),
    })
    try {
      await client.delete(`/contacts/${id}`).loginAs(user).withCsrfToken().redirects(0)
    } finally {
      unregister()
    }
    await client.post(`/contacts/${id}/restore`).loginAs(user).withCsrfToken().redirects(0)
    const entries = await entriesFor('contacts.contact', id)
    assert.deepEqual(
      entries.map((e) => e.event),
      ['created', 'archived', 'restored']
    )
    assert.isNull(entries[1].changes.archivedAt[0])
    assert.isString(entries[1].changes.archivedAt[1])
    assert.isNull(entries[2].changes.archivedAt[1])
    assert.equal(entries[2].company_id, company.id)
  })

  test('a rolled-back write leaves no audit entry (query-builder helpers)', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const actor = { companyId: company.id, actorId: null }
    const id = await db.transaction((trx) =>
      auditedInsert(
        trx,
        'contacts.contact',
        'contacts',
        {
          company_id: company.id,
          code: 'QB-1',
          kind: 'company',
          name: 'Query builder',
          sort_name: 'query builder',
          search_text: 'query builder',
          addresses: '[]',
          tags: '[]',
          created_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat),
          updated_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat),
        },
        { actor }
      )
    )
    assert.deepEqual(
      (await entriesFor('contacts.contact', id)).map((e) => e.event),
      ['created']
    )

    await assert.rejects(() =>
      db.transaction(async (trx) => {
        await auditedUpdate(
          trx,
          'contacts.contact',
          'contacts',
          { id },
          { name: 'Renamed' },
          { actor }
        )
        throw new Error('boom')
      })
    )
    const row = await db.from('contacts').where('id', id).first()
    assert.equal(row.name, 'Query builder')
    assert.lengthOf(await entriesFor('contacts.contact', id), 1)

    await db.transaction((trx) =>
      auditedUpdate(trx, 'contacts.contact', 'contacts', { id }, { name: 'Renamed' }, { actor })
    )
    await db.transaction((trx) =>
      auditedDelete(trx, 'contacts.contact', 'contacts', { id }, { actor })
    )
    const entries = await entriesFor('contacts.contact', id)
    assert.deepEqual(
      entries.map((e) => e.event),
      ['created', 'updated', 'deleted']
    )
    assert.deepEqual(entries[1].changes, { name: ['Query builder', 'Renamed'] })
    assert.equal(entries[2].changes.code[0], 'QB-1')
  })
})

test.group('Audit trail: Lucid helpers and manifests', () => {
  test('auditedSave and auditedDestroy record created, updated and deleted rows', async ({
    assert,
  }) => {
    // Filed under a company of its own, so no other test's admin lists see these entries.
    const { company: owner } = await companyWithUser('admin')
    const actor = { actorId: null, companyId: owner.id }
    const company = await db.transaction(async (trx) => {
      const row = new Company()
      row.useTransaction(trx)
      row.name = 'Lucid helpers'
      return auditedSave(trx, 'kernel.company', row, { actor })
    })
    await db.transaction(async (trx) => {
      company.useTransaction(trx)
      company.city = 'Angers'
      await auditedSave(trx, 'kernel.company', company, { actor })
      // Saved again unchanged: nothing to record.
      await auditedSave(trx, 'kernel.company', company, { actor })
    })
    await db.transaction(async (trx) => {
      company.useTransaction(trx)
      await auditedDestroy(trx, 'kernel.company', company, { actor })
    })
    const entries = await entriesFor('kernel.company', company.id)
    assert.deepEqual(
      entries.map((e) => e.event),
      ['created', 'updated', 'deleted']
    )
    assert.deepEqual(entries[0].changes.name, [null, 'Lucid helpers'])
    assert.deepEqual(entries[1].changes, { city: [null, 'Angers'] })
    assert.deepEqual(entries[2].changes.city, ['Angers', null])
  })

  test('a manifest’s audited models are checked at boot', ({ assert }) => {
    const base = {
      name: 'billing',
      version: '1.0.0',
      label: { fr: 'Facturation', en: 'Billing' },
      description: { fr: 'Factures', en: 'Invoices' },
    }
    const readable = async () => true
    assert.doesNotThrow(() =>
      validateManifest({ ...base, audited: { 'billing.invoice': { readable } } }, 'billing')
    )
    assert.throws(
      () => validateManifest({ ...base, audited: { 'stock.item': { readable } } }, 'billing'),
      /audited\.stock\.item/
    )
    assert.throws(
      () => validateManifest({ ...base, audited: { 'billing.invoice': {} } }, 'billing'),
      /readable/
    )
    assert.throws(
      () =>
        validateManifest(
          { ...base, audited: { 'billing.invoice': { readable, sensitive: { fields: 'x' } } } },
          'billing'
        ),
      /sensitive/
    )
  })
})

test.group('Audit trail: authentication and refusals', () => {
  test('sign-in success and failure, and sign-out, are recorded (never the password)', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('staff')
    await client
      .post('/login')
      .withCsrfToken()
      .header('referer', '/login')
      .form({ email: user.email, password: 'not-the-password' })
      .redirects(0)
    const failure = await lastEvent('login.failure', { record_id: String(user.id) })
    assert.isNotNull(failure)
    assert.equal(failure.meta.email, user.email)
    assert.equal(failure.meta.reason, 'credentials')
    assert.equal(failure.company_id, company.id)
    assert.notInclude(JSON.stringify(failure), 'not-the-password')

    await client
      .post('/login')
      .withCsrfToken()
      .form({ email: 'nobody-audit@test.charpente.fr', password: 'whatever-1234' })
      .redirects(0)
    const unknown = await lastEvent('login.failure')
    assert.equal(unknown.meta.email, 'nobody-audit@test.charpente.fr')
    assert.isNull(unknown.record_id)

    const login = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: user.email, password: TEST_PASSWORD })
      .redirects(0)
    login.assertStatus(302)
    const success = await lastEvent('login.success', { record_id: String(user.id) })
    assert.equal(success.actor_id, user.id)
    assert.equal(success.company_id, company.id)

    await client.post('/logout').loginAs(user).withCsrfToken().redirects(0)
    const logout = await lastEvent('logout', { record_id: String(user.id) })
    assert.equal(logout.actor_id, user.id)
  })

  test('a password change is recorded, without the password', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('staff')
    const changed = await client
      .put('/profile/password')
      .loginAs(user)
      .withCsrfToken()
      .json({
        currentPassword: TEST_PASSWORD,
        password: 'a-new-long-passphrase-42',
        passwordConfirmation: 'a-new-long-passphrase-42',
      })
      .redirects(0)
    changed.assertStatus(302)
    const entry = await lastEvent('password.changed', { record_id: String(user.id) })
    assert.equal(entry.actor_id, user.id)
    assert.equal(entry.company_id, company.id)
    assert.equal(entry.meta.via, 'profile')
    assert.notInclude(JSON.stringify(entry), 'a-new-long-passphrase-42')
  })

  test('a 403 is recorded and still answered as a 403', async ({ client, assert }) => {
    const { token, user, company } = await apiUser('staff')
    const refused = await client.get('/api/v1/audit').bearerToken(token)
    refused.assertStatus(403)
    assert.isArray(refused.body().errors)
    const denial = await lastEvent('access.denied', { actor_id: user.id })
    assert.equal(denial.company_id, company.id)
    assert.equal(denial.meta.permission, 'kernel.audit.read')
    assert.equal(denial.meta.url, '/api/v1/audit')

    const stranger = await companyWithUser('admin')
    const other = await client
      .get('/api/v1/me')
      .bearerToken(token)
      .header('x-company-id', String(stranger.company.id))
    other.assertStatus(403)
    const refusal = await lastEvent('access.denied', { actor_id: user.id })
    assert.equal(refusal.meta.reason, 'company')
  })
})

test.group('Audit trail: reading', () => {
  test('a record’s history is shown to those who may read the record, else 404', async ({
    client,
    assert,
  }) => {
    const { token, company } = await apiUser('admin')
    const contact = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Historique SARL' })
    const id = contact.body().data.id
    await client.patch(`/api/v1/contacts/${id}`).bearerToken(token).json({ name: 'Historique SA' })

    const history = await client.get(`/api/v1/history/contacts.contact/${id}`).bearerToken(token)
    history.assertStatus(200)
    assert.deepEqual(
      history.body().data.map((e: any) => e.event),
      ['updated', 'created']
    )
    assert.deepEqual(history.body().data[0].changes.name, ['Historique SARL', 'Historique SA'])
    assert.isString(history.body().data[0].actor.name)

    const paged = await client
      .get(`/api/v1/history/contacts.contact/${id}?limit=1`)
      .bearerToken(token)
    assert.lengthOf(paged.body().data, 1)
    const next = await client
      .get(`/api/v1/history/contacts.contact/${id}?limit=1&cursor=${paged.body().meta.nextCursor}`)
      .bearerToken(token)
    assert.equal(next.body().data[0].event, 'created')
    assert.isNull(next.body().meta.nextCursor)

    // The page route, for the History tab.
    const staff = await memberOf(company.id, 'staff')
    const web = await client.get(`/history/contacts.contact/${id}`).loginAs(staff).accept('json')
    web.assertStatus(200)
    assert.lengthOf(web.body().data, 2)

    // Outside the reader's scope: another company's admin, a role without contacts.
    const stranger = await apiUser('admin')
    ;(
      await client.get(`/api/v1/history/contacts.contact/${id}`).bearerToken(stranger.token)
    ).assertStatus(404)
    const portal = await memberOf(company.id, 'client')
    ;(
      await client.get(`/api/v1/history/contacts.contact/${id}`).bearerToken(await tokenFor(portal))
    ).assertStatus(404)
    ;(await client.get(`/api/v1/history/nothing.here/${id}`).bearerToken(token)).assertStatus(404)
  })

  test('sensitive fields are masked for readers without the permission', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const staff = await memberOf(company.id, 'staff')
    const unregister = registerAuditedModel('kernel.testsalary', {
      readable: async () => true,
      sensitive: { permission: 'kernel.company.manage', fields: ['salary'] },
    })
    try {
      await db.transaction((trx) =>
        record(trx, {
          event: 'updated',
          model: 'kernel.testsalary',
          recordId: 7,
          before: { salary: 3000, title: 'Couvreur' },
          after: { salary: 3500, title: 'Chef d’équipe' },
          actor: { companyId: company.id, actorId: user.id },
        })
      )
      const hidden = await client
        .get('/api/v1/history/kernel.testsalary/7')
        .bearerToken(await tokenFor(staff))
      hidden.assertStatus(200)
      const entry = hidden.body().data[0]
      assert.deepEqual(entry.masked, ['salary'])
      assert.deepEqual(entry.changes.salary, [null, null])
      assert.deepEqual(entry.changes.title, ['Couvreur', 'Chef d’équipe'])

      const shown = await client
        .get('/api/v1/history/kernel.testsalary/7')
        .bearerToken(await tokenFor(user))
      assert.deepEqual(shown.body().data[0].changes.salary, [3000, 3500])
      assert.deepEqual(shown.body().data[0].masked, [])
    } finally {
      unregister()
    }
  })

  test('the admin API filters by event, actor, model and dates, with keyset pages', async ({
    client,
    assert,
  }) => {
    const { token, user, company } = await apiUser('admin')
    const staff = await memberOf(company.id, 'staff')
    const staffToken = await tokenFor(staff)
    for (const name of ['Un', 'Deux', 'Trois']) {
      await client.post('/api/v1/contacts').bearerToken(token).json({ kind: 'person', name })
    }
    await client
      .post('/api/v1/contacts')
      .bearerToken(staffToken)
      .json({ kind: 'person', name: 'S' })
    await client.get('/api/v1/audit').bearerToken(staffToken)

    const created = await client.get('/api/v1/audit?event=created').bearerToken(token)
    created.assertStatus(200)
    assert.lengthOf(created.body().data, 4)
    assert.isTrue(created.body().data.every((e: any) => e.companyId === company.id))

    const mine = await client
      .get(`/api/v1/audit?event=created&actorId=${user.id}&model=contacts.contact`)
      .bearerToken(token)
    assert.lengthOf(mine.body().data, 3)
    assert.deepEqual(
      mine.body().data.map((e: any) => e.changes.name[1]),
      ['Trois', 'Deux', 'Un']
    )

    const denied = await client.get('/api/v1/audit?event=access.denied').bearerToken(token)
    assert.lengthOf(denied.body().data, 1)
    assert.equal(denied.body().data[0].actor.id, staff.id)

    const first = await client.get('/api/v1/audit?event=created&limit=3').bearerToken(token)
    assert.lengthOf(first.body().data, 3)
    const rest = await client
      .get(`/api/v1/audit?event=created&limit=3&cursor=${first.body().meta.nextCursor}`)
      .bearerToken(token)
    assert.lengthOf(rest.body().data, 1)
    assert.isNull(rest.body().meta.nextCursor)

    const today = DateTime.now().setZone('Europe/Paris')
    const tomorrow = today.plus({ days: 1 }).toISODate()
    const yesterday = today.minus({ days: 1 }).toISODate()
    const future = await client.get(`/api/v1/audit?from=${tomorrow}`).bearerToken(token)
    assert.lengthOf(future.body().data, 0)
    const past = await client.get(`/api/v1/audit?to=${yesterday}`).bearerToken(token)
    assert.isTrue(past.body().data.every((e: any) => e.companyId === null))
    const window = await client
      .get(`/api/v1/audit?event=created&from=${yesterday}&to=${today.toISODate()}`)
      .bearerToken(token)
    assert.lengthOf(window.body().data, 4)

    const bad = await client.get('/api/v1/audit?from=yesterday&actorId=x').bearerToken(token)
    bad.assertStatus(422)
  })

  test('the admin page lists and filters; others get a 403', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('admin')
    await client
      .post('/api/v1/contacts')
      .bearerToken(await tokenFor(user))
      .json({ kind: 'person', name: 'Page' })
    const page = await client.get('/settings/audit?event=created').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('settings/audit')
    assert.lengthOf(page.inertiaProps.entries, 1)
    assert.equal(page.inertiaProps.filters.event, 'created')
    assert.include(page.inertiaProps.options.events, 'login.failure')
    assert.deepInclude(page.inertiaProps.options.models, {
      value: 'contacts.contact',
      label: 'Contact',
    })

    const staff = await memberOf(company.id, 'staff')
    ;(await client.get('/settings/audit').loginAs(staff).withInertia()).assertStatus(403)
  })
})

test.group('Audit trail: append-only', () => {
  test('the database refuses to update or delete an entry', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    await db.transaction((trx) =>
      record(trx, {
        event: 'created',
        model: 'kernel.test',
        recordId: 1,
        actor: { companyId: company.id },
      })
    )
    const entry = await db.from('audit_logs').where('company_id', company.id).first()
    await assert.rejects(
      () => db.rawQuery("UPDATE audit_logs SET event = 'forged' WHERE id = ?", [entry.id]),
      /append-only/
    )
    await assert.rejects(
      () => db.rawQuery('DELETE FROM audit_logs WHERE id = ?', [entry.id]),
      /append-only/
    )
    await assert.rejects(() => db.from('audit_logs').where('id', entry.id).delete(), /append-only/)
    const still = await db.from('audit_logs').where('id', entry.id).first()
    assert.equal(still.event, 'created')
  })
})
