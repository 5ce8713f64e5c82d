import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { roleWith } from '#tests/helpers/roles'

async function adminToken() {
  const { company, user } = await companyWithUser('admin')
  return { company, user, token: await tokenFor(user) }
}

test.group('Roles API', () => {
  test('creates, lists, updates and deletes a custom role with its grants', async ({
    client,
    assert,
  }) => {
    const { token } = await adminToken()
    const name = `Chef d'équipe ${Date.now()}`
    const created = await client
      .post('/api/v1/admin/roles')
      .bearerToken(token)
      .json({
        name,
        grants: [
          { permission: 'contacts.contact.read', scope: 'team' },
          // `.create` acts on no existing record: its scope is always `all`.
          { permission: 'contacts.contact.create', scope: 'own' },
        ],
      })
    created.assertStatus(201)
    const role = created.body().data
    assert.equal(role.name, name)
    assert.isFalse(role.builtin)
    assert.match(role.key, /^chef_d_equipe_/)
    assert.sameDeepMembers(role.grants, [
      { permission: 'contacts.contact.read', scope: 'team' },
      { permission: 'contacts.contact.create', scope: 'all' },
    ])

    const list = await client.get('/api/v1/admin/roles').bearerToken(token)
    list.assertStatus(200)
    const keys = list.body().data.map((r: any) => r.key)
    assert.includeMembers(keys, ['admin', 'manager', 'staff', 'technician', 'client', role.key])
    assert.isFalse(list.body().data.find((r: any) => r.key === 'admin').editable)

    const updated = await client
      .patch(`/api/v1/admin/roles/${role.id}`)
      .bearerToken(token)
      .json({
        name: `${name} bis`,
        grants: [{ permission: 'contacts.contact.export', scope: 'own' }],
      })
    updated.assertStatus(200)
    assert.equal(updated.body().data.name, `${name} bis`)
    // The set is replaced, not merged.
    assert.deepEqual(updated.body().data.grants, [
      { permission: 'contacts.contact.export', scope: 'own' },
    ])

    ;(await client.delete(`/api/v1/admin/roles/${role.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get(`/api/v1/admin/roles/${role.id}`).bearerToken(token)).assertStatus(404)
    assert.lengthOf(await db.from('role_permissions').where('role_id', role.id), 0)
  })

  test('unknown permission keys are refused with 422 naming them', async ({ client, assert }) => {
    const { token } = await adminToken()
    const response = await client
      .post('/api/v1/admin/roles')
      .bearerToken(token)
      .json({
        name: `Bad ${Date.now()}`,
        grants: [
          { permission: 'contacts.contact.read' },
          { permission: 'contacts.contact.fly' },
          { permission: 'nothing.at.all', scope: 'own' },
        ],
      })
    response.assertStatus(422)
    const [error] = response.body().errors
    assert.equal(error.field, 'grants')
    assert.include(error.message, 'contacts.contact.fly')
    assert.include(error.message, 'nothing.at.all')
    assert.notInclude(error.message, 'contacts.contact.read')

    const badScope = await client
      .post('/api/v1/admin/roles')
      .bearerToken(token)
      .json({
        name: `Bad ${Date.now()}`,
        grants: [{ permission: 'contacts.contact.read', scope: 'x' }],
      })
    badScope.assertStatus(422)
    assert.equal(badScope.body().errors[0].field, 'grants.0.scope')
  })

  test('admin is not editable, built-in roles are not renamed or deleted, a held role is not deleted', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminToken()
    const roles = (await client.get('/api/v1/admin/roles').bearerToken(token)).body().data
    const admin = roles.find((r: any) => r.key === 'admin')
    const staff = roles.find((r: any) => r.key === 'staff')

    const editAdmin = await client
      .patch(`/api/v1/admin/roles/${admin.id}`)
      .bearerToken(token)
      .json({ grants: [] })
    editAdmin.assertStatus(409)
    ;(await client.delete(`/api/v1/admin/roles/${admin.id}`).bearerToken(token)).assertStatus(409)
    ;(await client.delete(`/api/v1/admin/roles/${staff.id}`).bearerToken(token)).assertStatus(409)
    const rename = await client
      .patch(`/api/v1/admin/roles/${staff.id}`)
      .bearerToken(token)
      .json({ name: 'Secrétariat' })
    rename.assertStatus(422)
    assert.equal(rename.body().errors[0].field, 'name')

    const custom = await roleWith([{ permission: 'contacts.contact.read' }])
    await memberOf(company.id, custom.key)
    const held = await client.delete(`/api/v1/admin/roles/${custom.id}`).bearerToken(token)
    held.assertStatus(409)
    assert.match(held.body().errors[0].message, /held by 1 member/)

    const duplicate = await client
      .post('/api/v1/admin/roles')
      .bearerToken(token)
      .json({ name: custom.name.toUpperCase() })
    duplicate.assertStatus(422)
    assert.equal(duplicate.body().errors[0].field, 'name')
  })

  test('a change applies to the next request of the role’s members', async ({ client }) => {
    const { company, token } = await adminToken()
    const role = await roleWith([])
    const member = await memberOf(company.id, role.key)
    const memberToken = await tokenFor(member)
    ;(await client.get('/api/v1/contacts').bearerToken(memberToken)).assertStatus(403)
    ;(
      await client
        .patch(`/api/v1/admin/roles/${role.id}`)
        .bearerToken(token)
        .json({ grants: [{ permission: 'contacts.contact.read', scope: 'own' }] })
    ).assertStatus(200)
    ;(await client.get('/api/v1/contacts').bearerToken(memberToken)).assertStatus(200)
  })

  test('only kernel.roles.manage may manage roles', async ({ client }) => {
    const { company } = await companyWithUser('admin')
    const manager = await memberOf(company.id, 'manager')
    const token = await tokenFor(manager)
    ;(await client.get('/api/v1/admin/roles').bearerToken(token)).assertStatus(403)
    ;(await client.get('/settings/roles').loginAs(manager).withInertia()).assertStatus(403)
    const { user } = await memberWithManage(company.id)
    ;(await client.get('/api/v1/admin/roles').bearerToken(await tokenFor(user))).assertStatus(200)
  })
})

async function memberWithManage(companyId: number) {
  const role = await roleWith([{ permission: 'kernel.roles.manage' }])
  return { role, user: await memberOf(companyId, role.key) }
}

test.group('Roles matrix page', () => {
  test('shows roles × permissions grouped by module, labelled in the user’s language', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await client.get('/settings/roles').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('settings/roles')
    const groups = page.inertiaProps.groups
    assert.equal(groups[0].module, 'kernel')
    const contacts = groups.find((g: any) => g.module === 'contacts')
    assert.equal(contacts.label, 'Contacts')
    const read = contacts.permissions.find((p: any) => p.key === 'contacts.contact.read')
    assert.equal(read.label, 'Voir les contacts')
    assert.isTrue(read.scopable)
    assert.isFalse(
      contacts.permissions.find((p: any) => p.key === 'contacts.contact.create').scopable
    )
    assert.isFalse(groups[0].permissions[0].scopable)
    assert.includeMembers(
      page.inertiaProps.roles.map((r: any) => r.key),
      ['admin', 'manager', 'staff', 'technician', 'client']
    )
  })

  test('saves the whole matrix in one transaction, or nothing', async ({ client, assert }) => {
    const { user } = await companyWithUser('admin')
    const a = await roleWith([])
    const b = await roleWith([{ permission: 'contacts.contact.read' }])
    const saved = await client
      .put('/settings/roles')
      .loginAs(user)
      .withCsrfToken()
      .json({
        roles: [
          { id: a.id, grants: [{ permission: 'contacts.contact.read', scope: 'own' }] },
          { id: b.id, name: `${b.name} (b)`, grants: [] },
        ],
      })
      .redirects(0)
    saved.assertStatus(302)
    saved.assertHeader('location', '/settings/roles')
    assert.deepEqual(
      await db.from('role_permissions').where('role_id', a.id).select('permission', 'scope'),
      [{ permission: 'contacts.contact.read', scope: 'own' }]
    )
    assert.lengthOf(await db.from('role_permissions').where('role_id', b.id), 0)
    assert.equal((await db.from('roles').where('id', b.id).first()).name, `${b.name} (b)`)

    // The admin role in the batch: nothing of the batch is written.
    const admin = await db.from('roles').where('key', 'admin').first()
    const refused = await client
      .put('/settings/roles')
      .loginAs(user)
      .withCsrfToken()
      .json({
        roles: [
          { id: a.id, grants: [] },
          { id: admin.id, grants: [] },
        ],
      })
      .redirects(0)
    assert.notEqual(refused.status(), 200)
    assert.lengthOf(await db.from('role_permissions').where('role_id', a.id), 1)
  })

  test('creates and deletes a role from the page; a held role gives a clear error', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('admin')
    const name = `Comptable ${Date.now()}`
    ;(
      await client.post('/settings/roles').loginAs(user).withCsrfToken().json({ name }).redirects(0)
    ).assertStatus(302)
    const role = await db.from('roles').where('name', name).first()
    assert.exists(role)

    await memberOf(company.id, role.key)
    const held = await client
      .delete(`/settings/roles/${role.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    held.assertStatus(302)
    held.assertFlashMessage(
      'error',
      'Ce rôle est attribué à des membres : donnez-leur un autre rôle avant de le supprimer.'
    )
    assert.exists(await db.from('roles').where('id', role.id).first())
  })
})
