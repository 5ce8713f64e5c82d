import { test } from '@japa/runner'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants, teamOf } from '#tests/helpers/roles'
import { resolveAccess, forgetAccess } from '#kernel/security/access'
import { explain } from '#kernel/security/explain'
import db from '@adonisjs/lucid/services/db'
import { CONTACT_MODEL } from '#modules/contacts/index'

async function contactOf(adminId: number, companyId: number, ownerId: number, teamId?: number) {
  const { default: ContactService } = await import('#modules/contacts/services/contact_service')
  const service = new ContactService((await resolveAccess(adminId, companyId))!)
  return service.create({ kind: 'company', name: 'Explained', ownerId, teamId: teamId ?? null })
}

test.group('Access explainer', () => {
  test('the API explains a permission and a record decision', async ({ client, assert }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const token = await tokenFor(admin)
    const { user, role } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'team' },
    ])
    const colleague = await memberOf(company.id, 'staff')
    const team = await teamOf(company.id, [user.id])
    const theirs = await contactOf(admin.id, company.id, colleague.id)
    const teams = await contactOf(admin.id, company.id, colleague.id, team)

    const plain = await client
      .get(`/api/v1/admin/access/explain?userId=${user.id}&permission=contacts.contact.read`)
      .bearerToken(token)
    plain.assertStatus(200)
    assert.deepInclude(plain.body().data, {
      allowed: true,
      reason: 'granted',
      role: role.key,
      roleName: role.name,
      scope: 'team',
    })

    const denied = await client
      .get(`/api/v1/admin/access/explain?userId=${user.id}&model=${CONTACT_MODEL}&id=${theirs.id}`)
      .bearerToken(token)
    assert.deepInclude(denied.body().data, { allowed: false, reason: 'outside_scope' })
    assert.deepEqual(denied.body().data.record, {
      id: theirs.id,
      found: true,
      companyMatch: true,
      ownerMatch: false,
      teamMatch: false,
    })
    const allowed = await client
      .get(`/api/v1/admin/access/explain?userId=${user.id}&model=${CONTACT_MODEL}&id=${teams.id}`)
      .bearerToken(token)
    assert.deepInclude(allowed.body().data, { allowed: true, reason: 'team' })

    const notGranted = await client
      .get(
        `/api/v1/admin/access/explain?userId=${user.id}&permission=contacts.contact.delete&model=${CONTACT_MODEL}&id=${teams.id}`
      )
      .bearerToken(token)
    assert.deepInclude(notGranted.body().data, { allowed: false, reason: 'not_granted' })
  })

  test('the explainer stays within the current company', async ({ client, assert }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const other = await companyWithUser('admin')
    const foreign = await contactOf(other.user.id, other.company.id, other.user.id)
    const token = await tokenFor(admin)

    const outsider = await client
      .get(`/api/v1/admin/access/explain?userId=${other.user.id}&permission=contacts.contact.read`)
      .bearerToken(token)
    outsider.assertStatus(422)
    assert.equal(outsider.body().errors[0].field, 'userId')

    const member = await memberOf(company.id, 'staff')
    const hidden = await client
      .get(
        `/api/v1/admin/access/explain?userId=${member.id}&model=${CONTACT_MODEL}&id=${foreign.id}`
      )
      .bearerToken(token)
    assert.deepInclude(hidden.body().data, { allowed: false, reason: 'record_not_found' })

    const badModel = await client
      .get(`/api/v1/admin/access/explain?userId=${member.id}&model=nope.thing&id=1`)
      .bearerToken(token)
    badModel.assertStatus(422)
  })

  test('the page shows the members, the permissions and the decision', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const { user } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
    ])
    const mine = await contactOf(admin.id, company.id, user.id)
    const empty = await client.get('/settings/access-explainer').loginAs(admin).withInertia()
    empty.assertStatus(200)
    empty.assertInertiaComponent('settings/access_explainer')
    assert.includeMembers(
      empty.inertiaProps.members.map((m: any) => m.id),
      [admin.id, user.id]
    )
    assert.isNull(empty.inertiaProps.result)
    assert.deepInclude(empty.inertiaProps.models, {
      model: CONTACT_MODEL,
      permission: 'contacts.contact.read',
    })

    const answered = await client
      .get(`/settings/access-explainer?userId=${user.id}&model=${CONTACT_MODEL}&id=${mine.id}`)
      .loginAs(admin)
      .withInertia()
    assert.deepInclude(answered.inertiaProps.result, { allowed: true, reason: 'owner' })

    const wrong = await client
      .get(`/settings/access-explainer?userId=abc`)
      .loginAs(admin)
      .withInertia()
    wrong.assertStatus(200)
    assert.isString(wrong.inertiaProps.error)
  })

  test('explain() and the query scope agree on every record, for every scope', async ({
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const colleague = await memberOf(company.id, 'staff')
    const records = []
    for (const scope of ['all', 'team', 'own'] as const) {
      const { user } = await memberWithGrants(company.id, [
        { permission: 'contacts.contact.read', scope },
      ])
      const team = await teamOf(company.id, [user.id])
      records.push(
        await contactOf(admin.id, company.id, user.id),
        await contactOf(admin.id, company.id, colleague.id, team),
        await contactOf(admin.id, company.id, colleague.id)
      )
      forgetAccess()
      const access = (await resolveAccess(user.id, company.id))!
      const visible = new Set(
        (await access.scope(db.from('contacts'), 'contacts.contact.read').select('id')).map(
          (row) => row.id as number
        )
      )
      for (const record of records) {
        const decision = await explain({
          userId: user.id,
          companyId: company.id,
          model: CONTACT_MODEL,
          id: record.id,
        })
        assert.equal(decision.allowed, visible.has(record.id), `${scope}: contact ${record.id}`)
      }
    }
  })
})
