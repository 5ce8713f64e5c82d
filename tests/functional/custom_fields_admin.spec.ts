import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'

async function adminOfNewCompany() {
  const { company, user } = await companyWithUser('admin')
  return { company, user, token: await tokenFor(user) }
}

const SECTEUR = {
  model: 'contacts.contact',
  key: 'secteur',
  label: { fr: 'Secteur', en: 'Sector' },
  type: 'select',
  options: ['BTP', 'Industrie'],
  required: true,
}

const fieldsOf = (body: any) => body.errors.map((e: any) => e.field)

test.group('Custom fields admin API', () => {
  test('creates the field of the issue’s example, lists it and audits it', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const created = await client
      .post('/api/v1/admin/custom-fields')
      .bearerToken(token)
      .json(SECTEUR)
    created.assertStatus(201)
    assert.containsSubset(created.body().data, {
      model: 'contacts.contact',
      key: 'secteur',
      type: 'select',
      label: { fr: 'Secteur', en: 'Sector' },
      options: ['BTP', 'Industrie'],
      required: true,
      inList: false,
      default: null,
      archivedAt: null,
    })
    const id = created.body().data.id

    const list = await client.get('/api/v1/admin/custom-fields').bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((f: any) => f.key),
      ['secteur']
    )
    const shown = await client.get(`/api/v1/admin/custom-fields/${id}`).bearerToken(token)
    assert.equal(shown.body().data.label.en, 'Sector')

    const audit = await db
      .from('audit_logs')
      .where({ model: 'kernel.custom_field', record_id: String(id), event: 'created' })
      .first()
    assert.equal(audit.company_id, company.id)
    const changes = typeof audit.changes === 'string' ? JSON.parse(audit.changes) : audit.changes
    assert.deepEqual(changes.key, [null, 'secteur'])
  })

  test('refuses bad definitions with 422 field errors and writes nothing', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const post = (body: object) =>
      client.post('/api/v1/admin/custom-fields').bearerToken(token).json(body)

    const badKey = await post({ ...SECTEUR, key: 'Secteur d’activité' })
    badKey.assertStatus(422)
    assert.include(fieldsOf(badKey.body()), 'key')
    assert.include(fieldsOf((await post({ ...SECTEUR, key: '1abc' })).body()), 'key')

    const badType = await post({ ...SECTEUR, type: 'colour' })
    badType.assertStatus(422)
    assert.deepEqual(fieldsOf(badType.body()), ['type'])

    const noOptions = await post({ ...SECTEUR, options: undefined })
    noOptions.assertStatus(422)
    assert.deepEqual(noOptions.body().errors[0], {
      field: 'options',
      rule: 'customFields.options_required',
      message: 'Une liste de choix a besoin d’au moins une option',
    })
    const emptyOptions = await post({ ...SECTEUR, options: [] })
    assert.deepEqual(fieldsOf(emptyOptions.body()), ['options'])
    const duplicates = await post({ ...SECTEUR, options: ['BTP', 'BTP'] })
    duplicates.assertStatus(422)

    const unknownModel = await post({ ...SECTEUR, model: 'nowhere.article' })
    unknownModel.assertStatus(422)
    assert.deepEqual(fieldsOf(unknownModel.body()), ['model'])

    const noLabel = await post({ ...SECTEUR, label: { en: 'Sector' } })
    assert.deepEqual(fieldsOf(noLabel.body()), ['label.fr'])

    const optionsOnText = await post({ ...SECTEUR, type: 'text' })
    assert.deepEqual(fieldsOf(optionsOnText.body()), ['options'])

    const bounds = await post({ ...SECTEUR, type: 'number', options: [], min: 10, max: 1 })
    assert.deepEqual(fieldsOf(bounds.body()), ['max'])

    const noTarget = await post({ ...SECTEUR, type: 'reference', options: [] })
    assert.deepEqual(fieldsOf(noTarget.body()), ['target'])
    const badTarget = await post({
      ...SECTEUR,
      type: 'reference',
      options: [],
      target: 'nowhere.thing',
    })
    assert.deepEqual(fieldsOf(badTarget.body()), ['target'])

    const badDefault = await post({ ...SECTEUR, default: 'Agriculture' })
    badDefault.assertStatus(422)
    assert.deepEqual(fieldsOf(badDefault.body()), ['default'])
    const badDate = await post({ ...SECTEUR, type: 'date', options: [], default: '31/12/2026' })
    assert.deepEqual(fieldsOf(badDate.body()), ['default'])

    const count = await db.from('custom_fields').where('company_id', company.id).count('* as n')
    assert.equal(Number(count[0].n), 0)

    ;(await post(SECTEUR)).assertStatus(201)
    const taken = await post({ ...SECTEUR, type: 'text', options: [] })
    taken.assertStatus(422)
    assert.deepEqual(taken.body().errors[0].field, 'key')
  })

  test('a default is stored as a value of the field', async ({ client, assert }) => {
    const { token } = await adminOfNewCompany()
    const decimal = await client
      .post('/api/v1/admin/custom-fields')
      .bearerToken(token)
      .json({
        model: 'contacts.contact',
        key: 'remise',
        label: { fr: 'Remise' },
        type: 'decimal',
        scale: 3,
        default: '2,5',
      })
    decimal.assertStatus(201)
    assert.equal(decimal.body().data.default, '2.500')
    assert.equal(decimal.body().data.config.scale, 3)
    assert.isNull(decimal.body().data.label.en)

    const multi = await client
      .post('/api/v1/admin/custom-fields')
      .bearerToken(token)
      .json({
        model: 'contacts.contact',
        key: 'metiers',
        label: { fr: 'Métiers', en: 'Trades' },
        type: 'multi_select',
        options: ['Couverture', 'Charpente', 'Zinguerie'],
        default: ['Charpente', 'Charpente'],
      })
    multi.assertStatus(201)
    assert.deepEqual(multi.body().data.default, ['Charpente'])
  })

  test('updates labels, required and options; the model, key and type stay', async ({
    client,
    assert,
  }) => {
    const { token } = await adminOfNewCompany()
    const id = (
      await client.post('/api/v1/admin/custom-fields').bearerToken(token).json(SECTEUR)
    ).body().data.id
    const updated = await client
      .patch(`/api/v1/admin/custom-fields/${id}`)
      .bearerToken(token)
      .json({
        label: { fr: 'Secteur d’activité', en: 'Industry' },
        required: false,
        inList: true,
        options: ['BTP', 'Industrie', 'Agriculture'],
        help: { fr: 'Le métier principal', en: 'Main trade' },
        key: 'autre',
        type: 'text',
      })
    updated.assertStatus(200)
    assert.containsSubset(updated.body().data, {
      key: 'secteur',
      type: 'select',
      label: { fr: 'Secteur d’activité', en: 'Industry' },
      help: { fr: 'Le métier principal', en: 'Main trade' },
      required: false,
      inList: true,
      options: ['BTP', 'Industrie', 'Agriculture'],
    })
    const noOptions = await client
      .patch(`/api/v1/admin/custom-fields/${id}`)
      .bearerToken(token)
      .json({ options: [] })
    noOptions.assertStatus(422)
    assert.deepEqual(fieldsOf(noOptions.body()), ['options'])
  })

  test('archive keeps the values, restore brings them back, purge deletes them', async ({
    client,
    assert,
  }) => {
    const { token, company } = await adminOfNewCompany()
    const id = (
      await client.post('/api/v1/admin/custom-fields').bearerToken(token).json(SECTEUR)
    ).body().data.id
    const contact = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Toitures du Léon', customFields: { secteur: 'BTP' } })
    contact.assertStatus(201)
    const contactId = contact.body().data.id

    // Purging a field in use is refused: archive it first.
    const early = await client.delete(`/api/v1/admin/custom-fields/${id}`).bearerToken(token)
    early.assertStatus(409)

    const archived = await client
      .post(`/api/v1/admin/custom-fields/${id}/archive`)
      .bearerToken(token)
    archived.assertStatus(200)
    assert.isString(archived.body().data.archivedAt)
    const hidden = await client.get(`/api/v1/contacts/${contactId}`).bearerToken(token)
    assert.deepEqual(hidden.body().data.customFields, {})
    // No longer required: contacts are created without it.
    ;(
      await client
        .post('/api/v1/contacts')
        .bearerToken(token)
        .json({ kind: 'company', name: 'Sans secteur' })
    ).assertStatus(201)
    // ... and it cannot be written.
    const write = await client
      .patch(`/api/v1/contacts/${contactId}`)
      .bearerToken(token)
      .json({ customFields: { secteur: 'Industrie' } })
    write.assertStatus(422)
    assert.deepEqual(fieldsOf(write.body()), ['customFields.secteur'])
    const kept = await db.from('custom_field_values').where('field_id', id)
    assert.lengthOf(kept, 1)

    const restored = await client
      .post(`/api/v1/admin/custom-fields/${id}/restore`)
      .bearerToken(token)
    assert.isNull(restored.body().data.archivedAt)
    const back = await client.get(`/api/v1/contacts/${contactId}`).bearerToken(token)
    assert.deepEqual(back.body().data.customFields, { secteur: 'BTP' })

    await client.post(`/api/v1/admin/custom-fields/${id}/archive`).bearerToken(token)
    const purged = await client.delete(`/api/v1/admin/custom-fields/${id}`).bearerToken(token)
    purged.assertStatus(200)
    assert.deepEqual(purged.body().data, { values: 1 })
    assert.lengthOf(await db.from('custom_field_values').where('field_id', id), 0)
    assert.isNull(await db.from('custom_fields').where('id', id).first())
    const events = await db
      .from('audit_logs')
      .where({ model: 'kernel.custom_field', record_id: String(id) })
      .orderBy('id')
      .select('event')
    assert.deepEqual(
      events.map((e) => e.event),
      ['created', 'archived', 'restored', 'archived', 'purged']
    )
    // The key is free again.
    ;(
      await client.post('/api/v1/admin/custom-fields').bearerToken(token).json(SECTEUR)
    ).assertStatus(201)
    void company
  })

  test('only holders of kernel.custom_fields.manage use it; companies stay apart', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const id = (
      await client.post('/api/v1/admin/custom-fields').bearerToken(token).json(SECTEUR)
    ).body().data.id
    for (const role of ['manager', 'staff']) {
      const member = await memberOf(company.id, role)
      const memberToken = await tokenFor(member)
      ;(await client.get('/api/v1/admin/custom-fields').bearerToken(memberToken)).assertStatus(403)
      ;(
        await client.post('/api/v1/admin/custom-fields').bearerToken(memberToken).json(SECTEUR)
      ).assertStatus(403)
      ;(
        await client.post(`/api/v1/admin/custom-fields/${id}/archive`).bearerToken(memberToken)
      ).assertStatus(403)
    }
    const other = await adminOfNewCompany()
    ;(await client.get(`/api/v1/admin/custom-fields/${id}`).bearerToken(other.token)).assertStatus(
      404
    )
    ;(
      await client.post(`/api/v1/admin/custom-fields/${id}/archive`).bearerToken(other.token)
    ).assertStatus(404)
    const theirs = await client.get('/api/v1/admin/custom-fields').bearerToken(other.token)
    assert.deepEqual(theirs.body().data, [])
    // The other company's contacts do not get this company's field.
    ;(
      await client
        .post('/api/v1/contacts')
        .bearerToken(other.token)
        .json({ kind: 'company', name: 'Libre' })
    ).assertStatus(201)
  })

  test('the settings pages list, create, edit, archive, restore and purge', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('admin')
    const index = await client.get('/settings/custom-fields').loginAs(user).withInertia()
    index.assertStatus(200)
    index.assertInertiaComponent('settings/custom_fields')
    assert.deepInclude(index.inertiaProps.models, {
      model: 'contacts.contact',
      module: 'contacts',
      label: 'Contact',
    })
    const form = await client
      .get('/settings/custom-fields/create?model=contacts.contact')
      .loginAs(user)
      .withInertia()
    form.assertInertiaComponent('settings/custom_field')
    assert.include(form.inertiaProps.types, 'reference')

    const refused = await client
      .post('/settings/custom-fields')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/settings/custom-fields/create')
      .json({ ...SECTEUR, options: [] })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertHeader('location', '/settings/custom-fields/create')
    refused.assertFlashMessage('inputErrorsBag', {
      options: ['Une liste de choix a besoin d’au moins une option'],
    })

    const saved = await client
      .post('/settings/custom-fields')
      .loginAs(user)
      .withCsrfToken()
      .json(SECTEUR)
      .redirects(0)
    saved.assertHeader('location', '/settings/custom-fields')
    const row = await db
      .from('custom_fields')
      .where({ company_id: company.id, key: 'secteur' })
      .firstOrFail()
    const edit = await client
      .get(`/settings/custom-fields/${row.id}/edit`)
      .loginAs(user)
      .withInertia()
    assert.equal(edit.inertiaProps.field.key, 'secteur')
    await client
      .put(`/settings/custom-fields/${row.id}`)
      .loginAs(user)
      .withCsrfToken()
      .json({ label: { fr: 'Filière' } })
      .redirects(0)
    await client
      .post(`/settings/custom-fields/${row.id}/archive`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    let after = await db.from('custom_fields').where('id', row.id).first()
    assert.equal(after.label_fr, 'Filière')
    assert.isNotNull(after.archived_at)
    await client
      .post(`/settings/custom-fields/${row.id}/restore`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    after = await db.from('custom_fields').where('id', row.id).first()
    assert.isNull(after.archived_at)
    await client
      .post(`/settings/custom-fields/${row.id}/archive`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    const purged = await client
      .delete(`/settings/custom-fields/${row.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    purged.assertHeader('location', '/settings/custom-fields')
    assert.isNull(await db.from('custom_fields').where('id', row.id).first())

    const staff = await memberOf(company.id, 'staff')
    ;(await client.get('/settings/custom-fields').loginAs(staff)).assertStatus(403)
  })
})
