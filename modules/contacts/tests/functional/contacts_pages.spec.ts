import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf } from '#tests/helpers/fixtures'
import moduleManager from '#kernel/modules/module_manager'

test.group('Contacts pages', () => {
  test('the list shows the company’s contacts, searchable and paginated', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    for (const name of ['Écoles de Rennes', 'Ardoises Bleues', 'Charpentes Morin']) {
      const created = await client
        .post('/contacts')
        .loginAs(user)
        .withCsrfToken()
        .json({ kind: 'company', name, isCustomer: true })
        .redirects(0)
      created.assertStatus(302)
    }
    const list = await client.get('/contacts').loginAs(user).withInertia()
    list.assertStatus(200)
    list.assertInertiaComponent('contacts/index')
    assert.deepEqual(
      list.inertiaProps.contacts.map((c: any) => c.name),
      ['Ardoises Bleues', 'Charpentes Morin', 'Écoles de Rennes']
    )
    assert.isNull(list.inertiaProps.nextCursor)
    assert.isTrue(list.inertiaProps.can.create)

    const search = await client.get('/contacts?search=ecole').loginAs(user).withInertia()
    assert.deepEqual(
      search.inertiaProps.contacts.map((c: any) => c.name),
      ['Écoles de Rennes']
    )

    // A hand-edited query string shows the default list instead of an error.
    const odd = await client.get('/contacts?limit=abc&sort=sideways').loginAs(user).withInertia()
    odd.assertStatus(200)
    assert.lengthOf(odd.inertiaProps.contacts, 3)
  })

  test('the form shows field errors and keeps nothing half-written', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('staff')
    const response = await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/contacts/create')
      .json({ kind: 'company', name: '', siret: '12345678901234' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/contacts/create')
    response.assertFlashMessage('inputErrorsBag', {
      name: ['Ce champ est obligatoire'],
      siret: ['SIRET invalide (14 chiffres, clé de contrôle incorrecte)'],
    })
    const total = await db.from('contacts').where('company_id', company.id).count('* as n')
    assert.equal(Number(total[0].n), 0)
  })

  test('create, show, edit and delete through the pages', async ({ client, assert }) => {
    const { user } = await companyWithUser('manager')
    const created = await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .json({ kind: 'person', name: 'Hélène Corre', people: [{ lastName: 'Corre' }] })
      .redirects(0)
    const location = created.header('location') ?? ''
    assert.match(location, /^\/contacts\/\d+$/)
    const show = await client.get(location).loginAs(user).withInertia()
    show.assertInertiaComponent('contacts/show')
    assert.equal(show.inertiaProps.contact.name, 'Hélène Corre')
    assert.match(show.inertiaProps.contact.code, /^CL-\d{5}$/)

    const edit = await client.get(`${location}/edit`).loginAs(user).withInertia()
    edit.assertInertiaComponent('contacts/edit')
    const updated = await client
      .put(location)
      .loginAs(user)
      .withCsrfToken()
      .json({ name: 'Hélène Corre-Le Goff' })
      .redirects(0)
    updated.assertStatus(302)
    const again = await client.get(location).loginAs(user).withInertia()
    assert.equal(again.inertiaProps.contact.name, 'Hélène Corre-Le Goff')

    const removed = await client.delete(location).loginAs(user).withCsrfToken().redirects(0)
    removed.assertHeader('location', '/contacts')
    ;(await client.get(location).loginAs(user)).assertStatus(404)
  })

  test('a technician sees the list but not the create form; the CSV needs its permission', async ({
    client,
  }) => {
    const { company } = await companyWithUser('admin')
    const technician = await memberOf(company.id, 'technician')
    ;(await client.get('/contacts').loginAs(technician).withInertia()).assertStatus(200)
    ;(await client.get('/contacts/create').loginAs(technician)).assertStatus(403)
    ;(await client.get('/contacts/export.csv').loginAs(technician)).assertStatus(403)
  })

  test('a disabled module answers 404 and leaves the menu; enabling brings both back with the data', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    await client
      .post('/contacts')
      .loginAs(user)
      .withCsrfToken()
      .json({ kind: 'person', name: 'Kept' })
    const menuOf = async () =>
      (await client.get('/').loginAs(user).withInertia()).inertiaProps.menu.map((e: any) => e.key)
    assert.include(await menuOf(), 'contacts')

    await moduleManager.disable('contacts')
    try {
      ;(await client.get('/contacts').loginAs(user)).assertStatus(404)
      ;(await client.get('/api/v1/contacts')).assertStatus(404)
      assert.notInclude(await menuOf(), 'contacts')
    } finally {
      await moduleManager.enable('contacts')
    }
    const list = await client.get('/contacts').loginAs(user).withInertia()
    list.assertStatus(200)
    assert.deepEqual(
      list.inertiaProps.contacts.map((c: any) => c.name),
      ['Kept']
    )
    assert.include(await menuOf(), 'contacts')
  })
})
