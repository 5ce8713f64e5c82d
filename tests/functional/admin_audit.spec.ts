import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/browser_session'
import { teamOf } from '#tests/helpers/roles'

/**
 * Admin actions in the audit trail: who did what to whom, and what changed,
 * shown on the admin audit page and filterable there.
 */

interface Entry {
  id: number
  event: string
  model: string | null
  record_id: string | null
  actor_id: number | null
  company_id: number | null
  changes: Record<string, [unknown, unknown]> | null
  meta: Record<string, any> | null
}

async function entries(where: Record<string, unknown>): Promise<Entry[]> {
  const rows = await db.from('audit_logs').where(where).orderBy('id')
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    changes: row.changes ? JSON.parse(row.changes) : null,
    meta: row.meta ? JSON.parse(row.meta) : null,
  }))
}

test.group('Audit of admin actions: roles', () => {
  test('role creation, renaming, grant changes and deletion are recorded, site-wide', async ({
    client,
    assert,
  }) => {
    const { user: admin } = await companyWithUser('admin')
    const bearer = await tokenFor(admin)
    const created = await client
      .post('/api/v1/admin/roles')
      .bearerToken(bearer)
      .json({
        name: 'Chef de chantier audit',
        grants: [{ permission: 'contacts.contact.read', scope: 'team' }],
      })
    created.assertStatus(201)
    const id = created.body().data.id
    await client
      .patch(`/api/v1/admin/roles/${id}`)
      .bearerToken(bearer)
      .json({ name: 'Conducteur de travaux audit' })
      .then((r: any) => r.assertStatus(200))
    // The matrix page saves roles' grants.
    const saved = await client
      .put('/settings/roles')
      .loginAs(admin)
      .withCsrfToken()
      .json({
        roles: [
          {
            id,
            grants: [
              { permission: 'contacts.contact.read', scope: 'all' },
              { permission: 'contacts.contact.create' },
            ],
          },
        ],
      })
      .redirects(0)
    saved.assertStatus(302)
    // Saving the same grants again changes nothing: no entry.
    await client
      .patch(`/api/v1/admin/roles/${id}`)
      .bearerToken(bearer)
      .json({
        grants: [
          { permission: 'contacts.contact.read', scope: 'all' },
          { permission: 'contacts.contact.create' },
        ],
      })
    ;(await client.delete(`/api/v1/admin/roles/${id}`).bearerToken(bearer)).assertStatus(204)

    const trail = await entries({ model: 'kernel.role', record_id: String(id) })
    assert.deepEqual(
      trail.map((e) => e.event),
      ['role.created', 'role.updated', 'role.grants_changed', 'role.deleted']
    )
    assert.isTrue(trail.every((e) => e.actor_id === admin.id && e.company_id === null))
    const [create, rename, grants, remove] = trail
    assert.deepEqual(create.changes, {
      'name': [null, 'Chef de chantier audit'],
      'mfaRequired': [null, false],
      'contacts.contact.read': [null, 'team'],
    })
    assert.deepEqual(rename.changes, {
      name: ['Chef de chantier audit', 'Conducteur de travaux audit'],
    })
    assert.deepEqual(grants.changes, {
      'contacts.contact.read': ['team', 'all'],
      'contacts.contact.create': [null, 'all'],
    })
    assert.equal(grants.meta?.role, 'Conducteur de travaux audit')
    assert.deepEqual(remove.changes?.name, ['Conducteur de travaux audit', null])
    assert.deepEqual(remove.changes?.['contacts.contact.create'], ['all', null])
  })

  test('a refused role change leaves no entry', async ({ client, assert }) => {
    const { user: admin } = await companyWithUser('admin')
    const before = await entries({ actor_id: admin.id })
    const refused = await client
      .post('/api/v1/admin/roles')
      .bearerToken(await tokenFor(admin))
      .json({ name: 'Inconnu audit', grants: [{ permission: 'nope.x.y' }] })
    refused.assertStatus(422)
    const after = await entries({ actor_id: admin.id })
    assert.deepEqual(
      after.filter((e) => e.event.startsWith('role.')),
      before.filter((e) => e.event.startsWith('role.'))
    )
  })
})

test.group('Audit of admin actions: users, sessions and tokens', () => {
  test('invitation, role and team changes, deactivation and activation are recorded', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const bearer = await tokenFor(admin)
    const email = `audit-invite-${Date.now().toString(36)}@test.charpente.fr`
    const invited = await client
      .post('/api/v1/admin/users')
      .bearerToken(bearer)
      .json({ email, role: 'staff', fullName: 'Invitée Audit' })
    invited.assertStatus(201)
    const memberId = invited.body().data.id
    const memberToken = await client
      .post('/api/v1/me/tokens')
      .bearerToken(await tokenFor(await User.findOrFail(memberId)))
      .json({ name: 'Script', abilities: ['*'], expiresIn: 30 })
    memberToken.assertStatus(201)

    const team = await teamOf(company.id, [])
    await client
      .patch(`/api/v1/admin/users/${memberId}`)
      .bearerToken(bearer)
      .json({ role: 'manager', teamIds: [team] })
      .then((r: any) => r.assertStatus(200))
    // Nothing changes: no entry.
    await client
      .patch(`/api/v1/admin/users/${memberId}`)
      .bearerToken(bearer)
      .json({ role: 'manager', teamIds: [team] })
    await client
      .patch(`/api/v1/admin/users/${memberId}`)
      .bearerToken(bearer)
      .json({ isActive: false })
      .then((r: any) => r.assertStatus(200))
    await client
      .patch(`/api/v1/admin/users/${memberId}`)
      .bearerToken(bearer)
      .json({ isActive: true })
      .then((r: any) => r.assertStatus(200))

    const trail = await entries({ model: 'kernel.user', record_id: String(memberId) })
    assert.deepEqual(
      trail.map((e) => e.event),
      ['user.invited', 'user.updated', 'user.deactivated', 'user.activated']
    )
    assert.isTrue(trail.every((e) => e.actor_id === admin.id && e.company_id === company.id))
    const [invite, update, off, on] = trail
    assert.deepEqual(invite.changes, {
      email: [null, email],
      fullName: [null, 'Invitée Audit'],
      role: [null, 'staff'],
      teamIds: [null, []],
    })
    assert.isFalse(invite.meta?.existingAccount)
    assert.deepEqual(update.changes, { role: ['staff', 'manager'], teamIds: [[], [team]] })
    assert.deepEqual(off.changes, { isActive: [true, false] })
    assert.deepEqual(on.changes, { isActive: [false, true] })

    // Deactivation revoked the member's token, recorded against the token.
    const revoked = await entries({
      model: 'kernel.token',
      record_id: String(memberToken.body().data.id),
    })
    assert.deepEqual(
      revoked.map((e) => e.event),
      ['token.created', 'token.revoked']
    )
    assert.equal(revoked[1].actor_id, admin.id)
    assert.deepEqual(revoked[1].meta, {
      by: 'admin',
      reason: 'deactivated',
      owner: { id: memberId },
    })
  })

  test('token creation and revocation, by the owner and by an admin, are recorded', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    const memberBearer = await tokenFor(member)
    const post = (name: string) =>
      client
        .post('/api/v1/me/tokens')
        .bearerToken(memberBearer)
        .json({ name, abilities: ['contacts.contact.read'], expiresIn: 30 })
    const own = (await post('Le mien')).body().data
    const other = (await post('Un autre')).body().data
    ;(await client.delete(`/api/v1/me/tokens/${own.id}`).bearerToken(memberBearer)).assertStatus(
      204
    )
    ;(
      await client
        .delete(`/api/v1/admin/users/${member.id}/tokens/${other.id}`)
        .bearerToken(await tokenFor(admin))
    ).assertStatus(204)

    const [created, revoked] = await entries({ model: 'kernel.token', record_id: String(own.id) })
    assert.equal(created.event, 'token.created')
    assert.equal(created.actor_id, member.id)
    assert.equal(created.company_id, company.id)
    assert.deepEqual(created.changes, {
      userId: [null, member.id],
      name: [null, 'Le mien'],
      abilities: [null, ['contacts.contact.read']],
      expiresAt: [null, own.expiresAt],
    })
    assert.deepEqual(created.meta, { by: 'owner', owner: { id: member.id, email: member.email } })
    assert.equal(revoked.event, 'token.revoked')
    assert.equal(revoked.actor_id, member.id)
    assert.equal(revoked.meta?.by, 'owner')
    assert.deepEqual(revoked.changes?.name, ['Le mien', null])
    // Never the secret nor its hash.
    assert.notInclude(JSON.stringify([created, revoked]), own.secret.split('.')[1])
    const hash = await db
      .from('audit_logs')
      .where('model', 'kernel.token')
      .whereLike('changes', '%hash%')
      .first()
    assert.isNull(hash ?? null)

    const [, byAdmin] = await entries({ model: 'kernel.token', record_id: String(other.id) })
    assert.equal(byAdmin.event, 'token.revoked')
    assert.equal(byAdmin.actor_id, admin.id)
    assert.deepEqual(byAdmin.meta, { by: 'admin', owner: { id: member.id, email: member.email } })
  })

  test('an admin ending sessions is recorded, without the session ids', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'technician')
    await signIn(member.email, TEST_PASSWORD)
    await signIn(member.email, TEST_PASSWORD)
    const bearer = await tokenFor(admin)
    const sessions = await client
      .get(`/api/v1/admin/users/${member.id}/sessions`)
      .bearerToken(bearer)
    const [one] = sessions.body().data
    ;(
      await client.delete(`/api/v1/admin/users/${member.id}/sessions/${one.id}`).bearerToken(bearer)
    ).assertStatus(204)
    ;(
      await client.delete(`/api/v1/admin/users/${member.id}/sessions`).bearerToken(bearer)
    ).assertStatus(200)
    const trail = (await entries({ model: 'kernel.user', record_id: String(member.id) })).filter(
      (e) => e.event === 'session.ended'
    )
    assert.deepEqual(
      trail.map((e) => e.meta),
      [
        { ended: 1, scope: 'one' },
        { ended: 1, scope: 'all' },
      ]
    )
    assert.isTrue(trail.every((e) => e.actor_id === admin.id && e.company_id === company.id))
    assert.notInclude(JSON.stringify(trail), one.id)
  })
})

test.group('Audit of admin actions: the admin page', () => {
  test('the entries show on /settings/audit and its filters pick them', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    const bearer = await tokenFor(admin)
    await client
      .patch(`/api/v1/admin/users/${member.id}`)
      .bearerToken(bearer)
      .json({ role: 'manager' })
    const token = (
      await client
        .post('/api/v1/me/tokens')
        .bearerToken(bearer)
        .json({ name: 'Page audit', abilities: ['*'], expiresIn: 30 })
    ).body().data
    await client.delete(`/api/v1/me/tokens/${token.id}`).bearerToken(bearer)

    const page = await client.get('/settings/audit').loginAs(admin).withInertia()
    page.assertStatus(200)
    const events = page.inertiaProps.entries.map((e: any) => e.event)
    assert.includeMembers(events, ['user.updated', 'token.created', 'token.revoked'])
    assert.includeMembers(page.inertiaProps.options.events, [
      'role.created',
      'role.grants_changed',
      'user.invited',
      'user.deactivated',
      'session.ended',
      'token.created',
      'token.revoked',
    ])
    assert.deepInclude(page.inertiaProps.options.models, {
      value: 'kernel.token',
      label: "Jeton d'API",
    })
    assert.deepInclude(page.inertiaProps.options.models, { value: 'kernel.role', label: 'Rôle' })

    const byEvent = await client
      .get('/settings/audit?event=token.created')
      .loginAs(admin)
      .withInertia()
    assert.lengthOf(byEvent.inertiaProps.entries, 1)
    assert.equal(byEvent.inertiaProps.entries[0].recordId, String(token.id))
    assert.equal(byEvent.inertiaProps.entries[0].actor.id, admin.id)

    const byModel = await client
      .get(`/settings/audit?model=kernel.user&recordId=${member.id}`)
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      byModel.inertiaProps.entries.map((e: any) => e.event),
      ['user.updated']
    )
    assert.deepEqual(byModel.inertiaProps.entries[0].changes.role, ['staff', 'manager'])

    const api = await client
      .get(`/api/v1/audit?model=kernel.token&actorId=${admin.id}`)
      .bearerToken(bearer)
    assert.deepEqual(
      api.body().data.map((e: any) => e.event),
      ['token.revoked', 'token.created']
    )

    // Another company's admin does not see this company's user and token entries.
    const { user: stranger } = await companyWithUser('admin')
    const theirs = await client
      .get(`/api/v1/audit?model=kernel.token&actorId=${admin.id}`)
      .bearerToken(await tokenFor(stranger))
    assert.lengthOf(theirs.body().data, 0)
  })
})
