import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { customFieldsAdmin, type NewCustomField } from '#kernel/custom_fields/admin'

/**
 * Contacts as the first user of custom fields: validated on create and
 * update (API and pages), shown, listed, filtered, exported, returned by the
 * API under `customFields`, kept in the history and removed with the contact.
 */

const SECTEUR: NewCustomField = {
  model: 'contacts.contact',
  key: 'secteur',
  label: { fr: 'Secteur', en: 'Sector' },
  type: 'select',
  options: ['BTP', 'Industrie'],
  required: true,
  inList: true,
}

function field(input: Partial<NewCustomField> & Pick<NewCustomField, 'key' | 'type'>) {
  return {
    model: 'contacts.contact',
    label: { fr: input.key, en: null },
    ...input,
  } as NewCustomField
}

async function scene(fields: NewCustomField[] = [SECTEUR]) {
  const { company, user } = await companyWithUser('admin')
  const defs = []
  for (const f of fields) defs.push(await customFieldsAdmin.create(company.id, f))
  return { company, user, token: await tokenFor(user), defs }
}

const fieldsOf = (body: any) => body.errors.map((e: any) => e.field)

test.group('Contacts with custom fields: API', () => {
  test('a required select: 422 without it or with an unknown option; saved and returned with it', async ({
    client,
    assert,
  }) => {
    const { company, token } = await scene()
    const missing = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Couvreurs Réunis' })
    missing.assertStatus(422)
    assert.deepEqual(missing.body().errors, [
      { field: 'customFields.secteur', rule: 'required', message: 'Ce champ est obligatoire' },
    ])
    const wrong = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Couvreurs Réunis', customFields: { secteur: 'Pêche' } })
    wrong.assertStatus(422)
    assert.deepEqual(fieldsOf(wrong.body()), ['customFields.secteur'])
    const unknown = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'X', customFields: { secteur: 'BTP', couleur: 'bleu' } })
    unknown.assertStatus(422)
    assert.deepEqual(fieldsOf(unknown.body()), ['customFields.couleur'])
    // The contact's own errors and its custom fields' come in one answer.
    const both = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: '', customFields: { secteur: 'Pêche' } })
    both.assertStatus(422)
    assert.sameMembers(fieldsOf(both.body()), ['name', 'customFields.secteur'])
    const count = await db.from('contacts').where('company_id', company.id).count('* as n')
    assert.equal(Number(count[0].n), 0)

    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Couvreurs Réunis', customFields: { secteur: 'BTP' } })
    created.assertStatus(201)
    assert.deepEqual(created.body().data.customFields, { secteur: 'BTP' })
    const id = created.body().data.id

    const shown = await client.get(`/api/v1/contacts/${id}`).bearerToken(token)
    assert.deepEqual(shown.body().data.customFields, { secteur: 'BTP' })
    const list = await client.get('/api/v1/contacts').bearerToken(token)
    assert.deepEqual(list.body().data[0].customFields, { secteur: 'BTP' })

    // An update without customFields keeps them; clearing a required one is refused.
    const renamed = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(token)
      .json({ name: 'Couvreurs Unis' })
    assert.deepEqual(renamed.body().data.customFields, { secteur: 'BTP' })
    const cleared = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(token)
      .json({ customFields: { secteur: null } })
    cleared.assertStatus(422)
    assert.deepEqual(fieldsOf(cleared.body()), ['customFields.secteur'])
    const changed = await client
      .patch(`/api/v1/contacts/${id}`)
      .bearerToken(token)
      .json({ customFields: { secteur: 'Industrie' } })
    assert.deepEqual(changed.body().data.customFields, { secteur: 'Industrie' })

    // The history shows the change, field by field.
    const entry = await db
      .from('audit_logs')
      .where({ model: 'contacts.contact', record_id: String(id), event: 'updated' })
      .orderBy('id', 'desc')
      .first()
    const changes = typeof entry.changes === 'string' ? JSON.parse(entry.changes) : entry.changes
    assert.deepEqual(changes['customFields.secteur'], ['BTP', 'Industrie'])
  })

  test('every type is validated and stored exactly', async ({ client, assert }) => {
    const { token, company } = await scene([
      field({ key: 'note', type: 'text' }),
      field({ key: 'histoire', type: 'long_text' }),
      field({ key: 'effectif', type: 'number', min: 0, max: 5000 }),
      field({ key: 'remise', type: 'decimal', scale: 2 }),
      field({ key: 'depuis', type: 'date' }),
      field({ key: 'metiers', type: 'multi_select', options: ['Couverture', 'Charpente'] }),
      field({ key: 'rge', type: 'boolean' }),
      field({ key: 'maison_mere', type: 'reference', target: 'contacts.contact' }),
      field({ key: 'pays', type: 'text', default: 'France' }),
    ])
    const post = (customFields: object) =>
      client
        .post('/api/v1/contacts')
        .bearerToken(token)
        .json({ kind: 'company', name: 'Essai', customFields })

    const bad = await post({
      note: 'x'.repeat(256),
      effectif: 12.5,
      remise: '12,345',
      depuis: '31/12/2026',
      metiers: ['Plomberie'],
      rge: 'peut-être',
      maison_mere: 'abc',
    })
    bad.assertStatus(422)
    assert.sameMembers(fieldsOf(bad.body()), [
      'customFields.note',
      'customFields.effectif',
      'customFields.remise',
      'customFields.depuis',
      'customFields.metiers.0',
      'customFields.rge',
      'customFields.maison_mere',
    ])
    const over = await post({ effectif: 6000 })
    assert.deepEqual(fieldsOf(over.body()), ['customFields.effectif'])

    // A reference must point at a contact of this company.
    const other = await companyWithUser('admin')
    const theirs = await client
      .post('/api/v1/contacts')
      .bearerToken(await tokenFor(other.user))
      .json({ kind: 'company', name: 'Ailleurs' })
    const foreign = await post({ maison_mere: theirs.body().data.id })
    foreign.assertStatus(422)
    assert.deepEqual(foreign.body().errors[0], {
      field: 'customFields.maison_mere',
      rule: 'exists',
      message: 'Valeur inconnue',
    })

    const parent = await post({})
    parent.assertStatus(201)
    // Defaults fill in what a new contact was not given.
    assert.equal(parent.body().data.customFields.pays, 'France')
    const good = await post({
      note: '  Bon client  ',
      histoire: 'Fondée en 1952\npar la famille Le Gall',
      effectif: '42',
      remise: '12,5',
      depuis: '2019-03-01',
      metiers: ['Charpente', 'Couverture', 'Charpente'],
      rge: true,
      maison_mere: parent.body().data.id,
      pays: null,
    })
    good.assertStatus(201)
    assert.deepEqual(good.body().data.customFields, {
      note: 'Bon client',
      histoire: 'Fondée en 1952\npar la famille Le Gall',
      effectif: 42,
      remise: '12.50',
      depuis: '2019-03-01',
      metiers: ['Couverture', 'Charpente'],
      rge: true,
      maison_mere: parent.body().data.id,
      pays: null,
    })
    // Decimals are scaled integers, never floats; a multi-select is a row per option.
    const stored = await db
      .from('custom_field_values')
      .join('custom_fields', 'custom_fields.id', 'custom_field_values.field_id')
      .where('custom_fields.company_id', company.id)
      .where('custom_field_values.record_id', good.body().data.id)
      .select('custom_fields.key', 'custom_field_values.value_number', 'value_text')
    assert.equal(Number(stored.find((r) => r.key === 'remise').value_number), 1250)
    assert.lengthOf(
      stored.filter((r) => r.key === 'metiers'),
      2
    )

    // The referenced contact cannot be deleted away: it is archived instead.
    const removed = await client
      .delete(`/api/v1/contacts/${parent.body().data.id}`)
      .bearerToken(token)
    removed.assertStatus(200)
    assert.isTrue(removed.body().data.archived)
    // Deleting a contact deletes its values.
    const goodId = good.body().data.id
    ;(await client.delete(`/api/v1/contacts/${goodId}`).bearerToken(token)).assertStatus(204)
    const left = await db
      .from('custom_field_values')
      .join('custom_fields', 'custom_fields.id', 'custom_field_values.field_id')
      .where('custom_fields.company_id', company.id)
      .where('custom_field_values.record_id', goodId)
    assert.lengthOf(left, 0)
  })

  test('a reference is checked within the user’s read scope', async ({ client, assert }) => {
    const { company, token: adminToken } = await scene([
      field({ key: 'parent', type: 'reference', target: 'contacts.contact' }),
    ])
    const hidden = await client
      .post('/api/v1/contacts')
      .bearerToken(adminToken)
      .json({ kind: 'company', name: 'Hors de portée' })
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.create', scope: 'own' },
    ])
    const token = await tokenFor(user)
    const refused = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Mien', customFields: { parent: hidden.body().data.id } })
    refused.assertStatus(422)
    assert.deepEqual(fieldsOf(refused.body()), ['customFields.parent'])
  })

  test('list filters: select, multi-select, boolean, text, number range, date; bad filters are 422', async ({
    client,
    assert,
  }) => {
    const { token } = await scene([
      { ...SECTEUR, required: false },
      field({ key: 'metiers', type: 'multi_select', options: ['Couverture', 'Charpente'] }),
      field({ key: 'rge', type: 'boolean' }),
      field({ key: 'note', type: 'text' }),
      field({ key: 'effectif', type: 'number' }),
      field({ key: 'depuis', type: 'date' }),
    ])
    const make = (name: string, customFields: object) =>
      client
        .post('/api/v1/contacts')
        .bearerToken(token)
        .json({ kind: 'company', name, customFields })
    await make('Alpha', {
      secteur: 'BTP',
      metiers: ['Couverture'],
      rge: true,
      note: 'Très Bon payeur',
      effectif: 10,
      depuis: '2020-01-15',
    })
    await make('Bravo', {
      secteur: 'Industrie',
      metiers: ['Couverture', 'Charpente'],
      rge: false,
      effectif: 250,
      depuis: '2023-06-01',
    })
    await make('Charlie', { secteur: 'BTP', metiers: ['Charpente'], effectif: 40 })
    const names = async (query: string) => {
      const response = await client.get(`/api/v1/contacts?${query}`).bearerToken(token)
      response.assertStatus(200)
      return response.body().data.map((c: any) => c.name)
    }
    assert.deepEqual(await names('cf[secteur]=BTP'), ['Alpha', 'Charlie'])
    assert.deepEqual(await names('cf[metiers]=Charpente'), ['Bravo', 'Charlie'])
    assert.deepEqual(await names('cf[secteur]=BTP&cf[metiers]=Charpente'), ['Charlie'])
    assert.deepEqual(await names('cf[rge]=true'), ['Alpha'])
    assert.deepEqual(await names('cf[rge]=false'), ['Bravo', 'Charlie'])
    assert.deepEqual(await names('cf[note]=bon'), ['Alpha'])
    assert.deepEqual(await names('cf[effectif][from]=20&cf[effectif][to]=300'), [
      'Bravo',
      'Charlie',
    ])
    assert.deepEqual(await names('cf[depuis][from]=2021-01-01'), ['Bravo'])
    assert.deepEqual(await names('cf[secteur]='), ['Alpha', 'Bravo', 'Charlie'])

    const unknown = await client.get('/api/v1/contacts?cf[couleur]=bleu').bearerToken(token)
    unknown.assertStatus(422)
    assert.deepEqual(fieldsOf(unknown.body()), ['cf.couleur'])
    const badDate = await client.get('/api/v1/contacts?cf[depuis]=hier').bearerToken(token)
    assert.deepEqual(fieldsOf(badDate.body()), ['cf.depuis'])
  })

  test('the CSV export has a column per active field', async ({ client, assert }) => {
    const { token } = await scene([
      SECTEUR,
      field({ key: 'remise', type: 'decimal' }),
      field({ key: 'metiers', type: 'multi_select', options: ['Couverture', 'Charpente'] }),
    ])
    await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({
        kind: 'company',
        name: 'Alpha',
        customFields: { secteur: 'BTP', remise: '7.5', metiers: ['Couverture', 'Charpente'] },
      })
    await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Bravo', customFields: { secteur: 'Industrie' } })
    const csv = await client.get('/api/v1/contacts/export.csv?cf[secteur]=BTP').bearerToken(token)
    csv.assertStatus(200)
    const [header, row, ...rest] = csv
      .text()
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    assert.lengthOf(rest, 0)
    const columns = header.split(';')
    const cells = row.split(';')
    assert.deepEqual(columns.slice(-3), [
      'customFields.secteur',
      'customFields.remise',
      'customFields.metiers',
    ])
    assert.deepEqual(cells.slice(-3), ['BTP', '7,50', 'Couverture, Charpente'])
    assert.equal(cells[columns.indexOf('name')], 'Alpha')
  })
})

test.group('Contacts with custom fields: pages', () => {
  test('the form gets the fields; a missing required one is a form error; the value shows', async ({
    client,
    assert,
  }) => {
    const { user, company } = await scene()
    const form = await client.get('/contacts/create').loginAs(user).withInertia()
    assert.containsSubset(form.inertiaProps.customFields, [
      { key: 'secteur', type: 'select', label: 'Secteur', required: true },
    ])

    const refused = await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/contacts/create')
      .json({ kind: 'company', name: 'Zinguerie Lorient', customFields: { secteur: '' } })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertHeader('location', '/contacts/create')
    refused.assertFlashMessage('inputErrorsBag', {
      'customFields.secteur': ['Ce champ est obligatoire'],
    })
    const both = await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/contacts/create')
      .json({ kind: 'company', name: '' })
      .redirects(0)
    both.assertFlashMessage('inputErrorsBag', {
      'name': ['Ce champ est obligatoire'],
      'customFields.secteur': ['Ce champ est obligatoire'],
    })
    const none = await db.from('contacts').where('company_id', company.id).count('* as n')
    assert.equal(Number(none[0].n), 0)

    const saved = await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .json({ kind: 'company', name: 'Zinguerie Lorient', customFields: { secteur: 'BTP' } })
      .redirects(0)
    const location = saved.header('location') ?? ''
    assert.match(location, /^\/contacts\/\d+$/)
    const show = await client.get(location).loginAs(user).withInertia()
    assert.deepEqual(show.inertiaProps.contact.customFields, { secteur: 'BTP' })
    assert.equal(show.inertiaProps.customFields[0].label, 'Secteur')

    const list = await client.get('/contacts?cf[secteur]=BTP').loginAs(user).withInertia()
    assert.deepEqual(
      list.inertiaProps.contacts.map((c: any) => c.customFields.secteur),
      ['BTP']
    )
    const empty = await client.get('/contacts?cf[secteur]=Industrie').loginAs(user).withInertia()
    assert.lengthOf(empty.inertiaProps.contacts, 0)
    // A hand-edited filter shows the default list rather than an error.
    const odd = await client.get('/contacts?cf[inconnu]=1').loginAs(user).withInertia()
    odd.assertStatus(200)
    assert.lengthOf(odd.inertiaProps.contacts, 1)

    const csv = await client.get('/contacts/export.csv').loginAs(user)
    assert.include(csv.text(), 'customFields.secteur')
    assert.match(csv.text(), /Zinguerie Lorient;.*;BTP\r\n/)

    // Staff see and fill the fields, without managing them.
    const staff = await memberOf(company.id, 'staff')
    const staffForm = await client.get('/contacts/create').loginAs(staff).withInertia()
    assert.lengthOf(staffForm.inertiaProps.customFields, 1)
  })
})

test.group('Contacts lists read plain rows', () => {
  test('an API list item is the contact as its own endpoint shows it, people aside', async ({
    client,
    assert,
  }) => {
    const { user, token } = await scene([
      SECTEUR,
      field({ key: 'visite', type: 'date' }),
      field({ key: 'metiers', type: 'multi_select', options: ['Couverture', 'Zinguerie'] }),
    ])
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({
        kind: 'company',
        name: 'Ardoisières de Trélazé',
        isCustomer: true,
        isSupplier: true,
        siren: '732829320',
        email: 'contact@trelaze.fr',
        phone: '02 41 00 00 00',
        notes: 'Carrière « Les Fresnais »',
        creditLimitCents: 1_500_050,
        paymentTermsDays: 45,
        ownerId: user.id,
        addresses: [
          {
            type: 'site',
            line1: '1 rue de la Carrière',
            postalCode: '49800',
            city: 'Trélazé',
            country: 'FR',
          },
          {
            type: 'billing',
            line1: '2 place du Port',
            postalCode: '44000',
            city: 'Nantes',
            country: 'FR',
          },
        ],
        tags: ['ardoise', 'négoce'],
        people: [{ lastName: 'Gicquel' }],
        customFields: { secteur: 'Industrie', visite: '2026-03-29', metiers: ['Zinguerie'] },
      })
    created.assertStatus(201)
    const id = created.body().data.id
    const plain = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Zoé Hamon', customFields: { secteur: 'BTP' } })
    plain.assertStatus(201)
    const archivedId = plain.body().data.id
    await db.from('contacts').where('id', archivedId).update({ archived_at: dbNow() })

    const shown = (await client.get(`/api/v1/contacts/${id}`).bearerToken(token)).body().data
    const listed = (await client.get('/api/v1/contacts').bearerToken(token)).body().data
    assert.lengthOf(listed, 1)
    assert.deepEqual(listed[0], { ...shown, people: [] })
    assert.equal(listed[0].creditLimitCents, 1_500_050)
    assert.deepEqual(listed[0].customFields.metiers, ['Zinguerie'])

    // An archived contact: its archival date goes through the list too.
    const archived = (await client.get(`/api/v1/contacts/${archivedId}`).bearerToken(token)).body()
    const archivedList = await client.get('/api/v1/contacts?archived=true').bearerToken(token)
    assert.isString(archived.data.archivedAt)
    assert.deepEqual(archivedList.body().data, [{ ...archived.data, people: [] }])

    // The page's rows carry the same values, the billing city among them.
    const page = await client.get('/contacts').loginAs(user).withInertia()
    const row = page.inertiaProps.contacts.find((c: any) => c.id === id)
    assert.deepEqual(row, {
      id,
      code: shown.code,
      kind: 'company',
      name: 'Ardoisières de Trélazé',
      isCustomer: true,
      isSupplier: true,
      email: 'contact@trelaze.fr',
      phone: shown.phone,
      city: 'Nantes',
      tags: ['ardoise', 'négoce'],
      lifecycle: shown.lifecycle,
      archivedAt: null,
      customFields: shown.customFields,
    })
  })
})
