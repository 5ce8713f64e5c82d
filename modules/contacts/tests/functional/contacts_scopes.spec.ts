import { test } from '@japa/runner'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants, teamOf } from '#tests/helpers/roles'
import ContactService from '../../services/contact_service.js'
import { resolveAccess } from '#kernel/security/access'

/**
 * The record scopes set in the roles matrix drive every read path of
 * contacts: list, search, CSV export (pages and API) and detail.
 */

const READ_PATHS = ['contacts.contact.read', 'contacts.contact.export']

/** A company with contacts owned by different members and teams. */
async function scene(scope: 'own' | 'team') {
  const { company, user: admin } = await companyWithUser('admin')
  const { user } = await memberWithGrants(
    company.id,
    READ_PATHS.map((permission) => ({ permission, scope }))
  )
  const colleague = await memberOf(company.id, 'staff')
  const stranger = await memberOf(company.id, 'staff')
  const team = await teamOf(company.id, [user.id, colleague.id])
  const service = new ContactService((await resolveAccess(admin.id, company.id))!)
  const make = (name: string, ownerId: number, teamId: number | null = null) =>
    service.create({ kind: 'company', name, ownerId, teamId })
  const mine = await make('Ardoises Miennes', user.id)
  const teams = await make('Ardoises Équipe', colleague.id, team)
  const others = await make('Ardoises Ailleurs', stranger.id)
  return { company, user, mine, teams, others, token: await tokenFor(user) }
}

test.group('Contacts: record scopes from the roles matrix', () => {
  test('scope own: only their own records, in list, search, export, API and detail', async ({
    client,
    assert,
  }) => {
    const { user, mine, teams, others, token } = await scene('own')

    const list = await client.get('/contacts').loginAs(user).withInertia()
    list.assertStatus(200)
    assert.deepEqual(
      list.inertiaProps.contacts.map((c: any) => c.name),
      ['Ardoises Miennes']
    )
    const search = await client.get('/contacts?search=ardoises').loginAs(user).withInertia()
    assert.deepEqual(
      search.inertiaProps.contacts.map((c: any) => c.name),
      ['Ardoises Miennes']
    )

    const csv = await client.get('/contacts/export.csv').loginAs(user)
    csv.assertStatus(200)
    assert.include(csv.text(), 'Ardoises Miennes')
    assert.notInclude(csv.text(), 'Ardoises Équipe')
    assert.notInclude(csv.text(), 'Ardoises Ailleurs')

    const api = await client.get('/api/v1/contacts?search=ardoises').bearerToken(token)
    assert.deepEqual(
      api.body().data.map((c: any) => c.name),
      ['Ardoises Miennes']
    )
    const apiCsv = await client.get('/api/v1/contacts/export.csv').bearerToken(token)
    assert.include(apiCsv.text(), 'Ardoises Miennes')
    assert.notInclude(apiCsv.text(), 'Ardoises Ailleurs')

    ;(await client.get(`/api/v1/contacts/${mine.id}`).bearerToken(token)).assertStatus(200)
    for (const hidden of [teams, others]) {
      const response = await client.get(`/api/v1/contacts/${hidden.id}`).bearerToken(token)
      response.assertStatus(404)
      assert.notInclude(response.text(), hidden.name)
      const page = await client.get(`/contacts/${hidden.id}`).loginAs(user)
      page.assertStatus(404)
      assert.notInclude(page.text(), hidden.name)
    }
  })

  test('scope team: their own and their teams’ records, nobody else’s', async ({
    client,
    assert,
  }) => {
    const { user, teams, others, token } = await scene('team')

    const list = await client.get('/contacts').loginAs(user).withInertia()
    assert.deepEqual(
      list.inertiaProps.contacts.map((c: any) => c.name),
      ['Ardoises Équipe', 'Ardoises Miennes']
    )
    const csv = await client.get('/api/v1/contacts/export.csv?search=ardoises').bearerToken(token)
    assert.include(csv.text(), 'Ardoises Équipe')
    assert.include(csv.text(), 'Ardoises Miennes')
    assert.notInclude(csv.text(), 'Ardoises Ailleurs')
    ;(await client.get(`/api/v1/contacts/${teams.id}`).bearerToken(token)).assertStatus(200)
    ;(await client.get(`/api/v1/contacts/${others.id}`).bearerToken(token)).assertStatus(404)
  })

  test('export follows the export permission’s own scope, independently of read', async ({
    client,
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.export', scope: 'own' },
    ])
    const admin = await memberOf(company.id, 'admin')
    const service = new ContactService((await resolveAccess(admin.id, company.id))!)
    await service.create({ kind: 'company', name: 'Zinc Mien', ownerId: user.id })
    await service.create({ kind: 'company', name: 'Zinc Autre', ownerId: admin.id })

    const token = await tokenFor(user)
    const list = await client.get('/api/v1/contacts').bearerToken(token)
    assert.lengthOf(list.body().data, 2)
    const csv = await client.get('/api/v1/contacts/export.csv').bearerToken(token)
    assert.include(csv.text(), 'Zinc Mien')
    assert.notInclude(csv.text(), 'Zinc Autre')
  })

  test('acting reaches no further than reading: export, update and delete are capped by read', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    // Reads "own", but export, update and delete were ticked with "all".
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.export', scope: 'all' },
      { permission: 'contacts.contact.update', scope: 'all' },
      { permission: 'contacts.contact.delete', scope: 'all' },
    ])
    const service = new ContactService((await resolveAccess(admin.id, company.id))!)
    const mine = await service.create({ kind: 'company', name: 'Plomb Mien', ownerId: user.id })
    const other = await service.create({ kind: 'company', name: 'Plomb Autre', ownerId: admin.id })
    const token = await tokenFor(user)

    const csv = await client.get('/api/v1/contacts/export.csv').bearerToken(token)
    csv.assertStatus(200)
    assert.include(csv.text(), 'Plomb Mien')
    assert.notInclude(csv.text(), 'Plomb Autre')

    const update = (id: number) =>
      client.patch(`/api/v1/contacts/${id}`).bearerToken(token).json({ notes: 'vu' })
    ;(await update(other.id)).assertStatus(404)
    ;(await update(mine.id)).assertStatus(200)
    ;(await client.delete(`/api/v1/contacts/${other.id}`).bearerToken(token)).assertStatus(404)

    // Without read at all, the other grants are inert: nothing to act on.
    const { user: blind } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.export', scope: 'all' },
    ])
    const access = (await resolveAccess(blind.id, company.id))!
    assert.isFalse(access.can('contacts.contact.export'))
    ;(
      await client.get('/api/v1/contacts/export.csv').bearerToken(await tokenFor(blind))
    ).assertStatus(403)
  })

  test('a contact page offers editing only where the update scope reaches the record', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.update', scope: 'own' },
      { permission: 'contacts.contact.delete', scope: 'own' },
    ])
    const service = new ContactService((await resolveAccess(admin.id, company.id))!)
    const mine = await service.create({ kind: 'company', name: 'Étain Mien', ownerId: user.id })
    const other = await service.create({ kind: 'company', name: 'Étain Autre', ownerId: admin.id })

    const own = await client.get(`/contacts/${mine.id}`).loginAs(user).withInertia()
    assert.include(own.inertiaProps.can, { update: true, delete: true })
    const theirs = await client.get(`/contacts/${other.id}`).loginAs(user).withInertia()
    theirs.assertStatus(200)
    assert.include(theirs.inertiaProps.can, { update: false, delete: false })
  })
})
