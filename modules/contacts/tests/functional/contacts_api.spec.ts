import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { registerReferenceCheck } from '#kernel/modules/references'
import moduleManager from '#kernel/modules/module_manager'

async function apiUser(role = 'admin') {
  const { company, user } = await companyWithUser(role)
  return { company, user, token: await tokenFor(user) }
}

const valid = {
  kind: 'company',
  name: 'Couvertures Éléonore',
  isCustomer: true,
  siren: '732 829 320',
  siret: '73282932000074',
  vatNumber: 'FR44732829320',
  email: 'contact@eleonore.fr',
  addresses: [
    {
      type: 'billing',
      line1: '3 rue du Port',
      postalCode: '35400',
      city: 'Saint-Malo',
      country: 'fr',
    },
  ],
  tags: ['ardoise', 'neuf'],
  people: [{ firstName: 'Anne', lastName: 'Guivarc’h', jobTitle: 'Gérante' }],
}

test.group('Contacts API', () => {
  test('creates a contact with a numbered code and returns it', async ({ client, assert }) => {
    const { token } = await apiUser()
    const response = await client.post('/api/v1/contacts').bearerToken(token).json(valid)
    response.assertStatus(201)
    const data = response.body().data
    assert.equal(data.code, 'CL-00001')
    assert.equal(data.siren, '732829320')
    assert.equal(data.addresses[0].country, 'FR')
    assert.deepEqual(data.tags, ['ardoise', 'neuf'])
    assert.equal(data.people[0].lastName, 'Guivarc’h')

    const second = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Yann' })
    assert.equal(second.body().data.code, 'CL-00002')

    const show = await client.get(`/api/v1/contacts/${data.id}`).bearerToken(token)
    show.assertStatus(200)
    assert.equal(show.body().data.name, 'Couvertures Éléonore')
  })

  test('invalid input is a 422 with field errors and writes nothing', async ({
    client,
    assert,
  }) => {
    const { token, company } = await apiUser()
    const response = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .header('accept', 'text/html')
      .json({
        ...valid,
        kind: 'robot',
        siret: '73282932000075',
        vatNumber: 'FR45732829320',
        addresses: [{ type: 'billing' }],
      })
    response.assertStatus(422)
    const fields = response.body().errors.map((e: any) => e.field)
    assert.includeMembers(fields, ['kind', 'siret', 'vatNumber', 'addresses.0.line1'])
    for (const error of response.body().errors) {
      assert.properties(error, ['field', 'rule', 'message'])
    }
    const count = await db.from('contacts').where('company_id', company.id).count('* as total')
    assert.equal(Number(count[0].total), 0)
  })

  test('a SIRET must start with the SIREN', async ({ client }) => {
    const { token } = await apiUser()
    const response = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ ...valid, siren: '552100554' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'siret', rule: 'siretMatchesSiren' }] })
  })

  test('lists with keyset pagination, accent-insensitive search and sort', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const names = ['Zoé Martin', 'Éric Dupont', 'eric durand', 'Anne Le Gall', 'Bruno Éon']
    for (const name of names) {
      await client.post('/api/v1/contacts').bearerToken(token).json({ kind: 'person', name })
    }
    const page1 = await client.get('/api/v1/contacts?limit=2').bearerToken(token)
    page1.assertStatus(200)
    assert.deepEqual(
      page1.body().data.map((c: any) => c.name),
      ['Anne Le Gall', 'Bruno Éon']
    )
    const cursor = page1.body().meta.nextCursor
    assert.isString(cursor)

    const page2 = await client.get(`/api/v1/contacts?limit=2&cursor=${cursor}`).bearerToken(token)
    assert.deepEqual(
      page2.body().data.map((c: any) => c.name),
      ['Éric Dupont', 'eric durand']
    )
    const page3 = await client
      .get(`/api/v1/contacts?limit=2&cursor=${page2.body().meta.nextCursor}`)
      .bearerToken(token)
    assert.deepEqual(
      page3.body().data.map((c: any) => c.name),
      ['Zoé Martin']
    )
    assert.isNull(page3.body().meta.nextCursor)

    const search = await client.get('/api/v1/contacts?search=ERIC').bearerToken(token)
    assert.sameMembers(
      search.body().data.map((c: any) => c.name),
      ['Éric Dupont', 'eric durand']
    )
    const accent = await client
      .get(`/api/v1/contacts?search=${encodeURIComponent('zoé')}`)
      .bearerToken(token)
    assert.deepEqual(
      accent.body().data.map((c: any) => c.name),
      ['Zoé Martin']
    )

    const desc = await client.get('/api/v1/contacts?sort=-name&limit=1').bearerToken(token)
    assert.equal(desc.body().data[0].name, 'Zoé Martin')
    const newest = await client.get('/api/v1/contacts?sort=-createdAt&limit=1').bearerToken(token)
    assert.equal(newest.body().data[0].name, 'Bruno Éon')
  })

  test('limit defaults to 25 and is capped at 100; a bad cursor is a 422', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const over = await client.get('/api/v1/contacts?limit=101').bearerToken(token)
    over.assertStatus(422)
    assert.equal(over.body().errors[0].field, 'limit')
    const badCursor = await client.get('/api/v1/contacts?cursor=nonsense').bearerToken(token)
    badCursor.assertStatus(422)
    assert.equal(badCursor.body().errors[0].field, 'cursor')
  })

  test('companies never see each other’s contacts', async ({ client, assert }) => {
    const a = await apiUser()
    const b = await apiUser()
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(a.token)
      .json({ kind: 'person', name: 'Secret' })
    const id = created.body().data.id
    const list = await client.get('/api/v1/contacts').bearerToken(b.token)
    assert.lengthOf(list.body().data, 0)
    ;(await client.get(`/api/v1/contacts/${id}`).bearerToken(b.token)).assertStatus(404)
    ;(
      await client.patch(`/api/v1/contacts/${id}`).bearerToken(b.token).json({ name: 'x' })
    ).assertStatus(404)
    ;(await client.delete(`/api/v1/contacts/${id}`).bearerToken(b.token)).assertStatus(404)
    const header = await client
      .get('/api/v1/contacts')
      .bearerToken(b.token)
      .header('x-company-id', String(a.company.id))
    header.assertStatus(403)
  })

  test('permissions: a technician reads but cannot create; without a token it is 401', async ({
    client,
  }) => {
    const { company } = await apiUser()
    const technician = await memberOf(company.id, 'technician')
    const token = await tokenFor(technician)
    ;(await client.get('/api/v1/contacts').bearerToken(token)).assertStatus(200)
    ;(await client.post('/api/v1/contacts').bearerToken(token).json(valid)).assertStatus(403)
    ;(await client.get('/api/v1/contacts')).assertStatus(401)
  })

  test('the own scope limits a user to their records everywhere', async ({ client, assert }) => {
    const { company, token: adminToken } = await apiUser()
    const staff = await memberOf(company.id, 'staff')
    const staffToken = await tokenFor(staff)
    const role = await db.from('roles').where('key', 'staff').firstOrFail()
    // Restrict the built-in staff role to its own contacts for this test, then restore it.
    await db
      .from('role_permissions')
      .where({ role_id: role.id })
      .whereLike('permission', 'contacts.%')
      .update({ scope: 'own' })
    const { forgetAccess } = await import('#kernel/security/access')
    forgetAccess()
    try {
      const mine = await client
        .post('/api/v1/contacts')
        .bearerToken(staffToken)
        .json({ kind: 'person', name: 'Mine' })
      const theirs = await client
        .post('/api/v1/contacts')
        .bearerToken(adminToken)
        .json({ kind: 'person', name: 'Theirs' })
      const list = await client.get('/api/v1/contacts').bearerToken(staffToken)
      assert.deepEqual(
        list.body().data.map((c: any) => c.name),
        ['Mine']
      )
      ;(
        await client.get(`/api/v1/contacts/${theirs.body().data.id}`).bearerToken(staffToken)
      ).assertStatus(404)
      ;(
        await client.get(`/api/v1/contacts/${mine.body().data.id}`).bearerToken(staffToken)
      ).assertStatus(200)
      const csv = await client.get('/api/v1/contacts/export.csv').bearerToken(staffToken)
      csv.assertStatus(200)
      assert.include(csv.text(), 'Mine')
      assert.notInclude(csv.text(), 'Theirs')
    } finally {
      await db
        .from('role_permissions')
        .where({ role_id: role.id })
        .whereLike('permission', 'contacts.%')
        .update({ scope: 'all' })
      forgetAccess()
    }
  })

  test('PATCH updates; DELETE deletes, or archives a referenced contact', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const a = (await client.post('/api/v1/contacts').bearerToken(token).json(valid)).body().data
    const patched = await client
      .patch(`/api/v1/contacts/${a.id}`)
      .bearerToken(token)
      .json({ name: 'Renamed', people: [] })
    patched.assertStatus(200)
    assert.equal(patched.body().data.name, 'Renamed')
    assert.lengthOf(patched.body().data.people, 0)
    assert.equal(patched.body().data.code, a.code)

    const unregister = registerReferenceCheck('test-fixture', {
      model: 'contacts.contact',
      count: async (id) => (id === a.id ? 2 : 0),
    })
    try {
      // A stale module state must be re-read inside the delete's transaction
      // (on SQLite, through the pool it would wait for that transaction forever).
      moduleManager.forget()
      const archived = await client.delete(`/api/v1/contacts/${a.id}`).bearerToken(token)
      archived.assertStatus(200)
      assert.deepEqual(archived.body().data, {
        archived: true,
        references: [{ module: 'test-fixture', count: 2 }],
      })
      const list = await client.get('/api/v1/contacts').bearerToken(token)
      assert.lengthOf(list.body().data, 0)
      const archivedList = await client.get('/api/v1/contacts?archived=true').bearerToken(token)
      assert.lengthOf(archivedList.body().data, 1)
    } finally {
      unregister()
    }
    const deleted = await client.delete(`/api/v1/contacts/${a.id}`).bearerToken(token)
    deleted.assertStatus(204)
    ;(await client.get(`/api/v1/contacts/${a.id}`).bearerToken(token)).assertStatus(404)
    const people = await db.from('contact_people').where('contact_id', a.id)
    assert.lengthOf(people, 0)
  })

  test('CSV export follows the filters and neutralises formulas', async ({ client, assert }) => {
    const { token } = await apiUser()
    await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: '=HYPERLINK("x")', isSupplier: true })
    await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Client; "quoted"', isCustomer: true })
    const all = await client.get('/api/v1/contacts/export.csv').bearerToken(token)
    all.assertStatus(200)
    assert.include(all.header('content-type'), 'text/csv')
    const text = all.text()
    assert.include(text, `'=HYPERLINK(""x"")`)
    assert.include(text, '"Client; ""quoted"""')
    const suppliers = await client
      .get('/api/v1/contacts/export.csv?role=supplier')
      .bearerToken(token)
    assert.notInclude(suppliers.text(), 'Client;')
    assert.lengthOf(suppliers.text().trim().split('\r\n'), 2)
  })
})

test.group('Contacts API ownership', () => {
  test('owner and team must belong to the company, with a translated field error', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const stranger = await companyWithUser('staff')
    const response = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'person', name: 'Owned', ownerId: stranger.user.id, teamId: 999999 })
    response.assertStatus(422)
    assert.deepEqual(response.body().errors[0], {
      field: 'ownerId',
      rule: 'exists',
      message: 'Valeur inconnue',
    })
  })
})
