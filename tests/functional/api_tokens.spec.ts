import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'

const READ = 'contacts.contact.read'
const CREATE = 'contacts.contact.create'

/** A valid creation body, with `extra` on top. */
function body(extra: Record<string, unknown> = {}) {
  return {
    name: `Token ${Math.random().toString(36).slice(2, 8)}`,
    abilities: ['*'],
    expiresIn: 30,
    ...extra,
  }
}

async function create(client: any, bearer: string, extra: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/me/tokens').bearerToken(bearer).json(body(extra))
  response.assertStatus(201)
  return response.body().data as { id: number; name: string; secret: string; abilities: string[] }
}

/** The field names of a 422 answer. */
function fields(response: any) {
  response.assertStatus(422)
  return response.body().errors.map((e: { field: string }) => e.field)
}

test.group('API tokens: the owner, through the API', () => {
  test('create, list (never the secret), use, revoke', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const bearer = await tokenFor(user)

    const created = await client
      .post('/api/v1/me/tokens')
      .bearerToken(bearer)
      .json({ name: 'Export comptable', abilities: [READ], expiresIn: 90 })
    created.assertStatus(201)
    const token = created.body().data
    assert.equal(token.name, 'Export comptable')
    assert.deepEqual(token.abilities, [READ])
    assert.match(token.secret, /^cpt_\S+$/)
    assert.isNull(token.lastUsedAt)
    const days = DateTime.fromISO(token.expiresAt).diffNow('days').days
    assert.approximately(days, 90, 0.01)

    const used = await client.get('/api/v1/me').bearerToken(token.secret)
    used.assertStatus(200)
    assert.deepEqual(used.body().data.permissions, [READ])

    const listed = await client.get('/api/v1/me/tokens').bearerToken(token.secret)
    listed.assertStatus(200)
    const mine = listed.body().data.find((t: any) => t.id === token.id)
    assert.isTrue(mine.current)
    assert.isString(mine.lastUsedAt)
    assert.isFalse(mine.expired)
    assert.notProperty(mine, 'secret')
    assert.notProperty(mine, 'hash')
    assert.notInclude(JSON.stringify(listed.body()), token.secret.split('.')[1])
    // The other token is listed too, not marked as the current one.
    assert.lengthOf(listed.body().data, 2)
    assert.isFalse(listed.body().data.find((t: any) => t.id !== token.id).current)

    const revoked = await client.delete(`/api/v1/me/tokens/${token.id}`).bearerToken(bearer)
    revoked.assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(401)
    const after = await client.get('/api/v1/me/tokens').bearerToken(bearer)
    assert.notInclude(
      after.body().data.map((t: any) => t.id),
      token.id
    )
    ;(await client.delete(`/api/v1/me/tokens/${token.id}`).bearerToken(bearer)).assertStatus(404)
  })

  test('an expiry date: the token works until the end of that day, at most a year ahead', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const bearer = await tokenFor(user)
    const day = DateTime.now().setZone('Europe/Paris').plus({ days: 10 }).toISODate()!
    const token = await create(client, bearer, { expiresIn: undefined, expiresAt: day })
    const expires = DateTime.fromISO((token as any).expiresAt).setZone('Europe/Paris')
    assert.equal(expires.toISODate(), day)
    assert.equal(expires.hour, 23)

    const inAYear = DateTime.now().setZone('Europe/Paris').plus({ years: 1 }).toISODate()!
    await create(client, bearer, { expiresIn: undefined, expiresAt: inAYear })
  })

  test('bad input is a 422 naming the field, and nothing is written', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const bearer = await tokenFor(user)
    const post = (payload: Record<string, unknown>) =>
      client.post('/api/v1/me/tokens').bearerToken(bearer).json(payload)
    const today = DateTime.now().setZone('Europe/Paris')

    assert.deepEqual(fields(await post(body({ name: '  ' }))), ['name'])
    assert.deepEqual(fields(await post(body({ name: 'x'.repeat(101) }))), ['name'])
    assert.deepEqual(fields(await post(body({ abilities: [] }))), ['abilities'])
    assert.deepEqual(fields(await post(body({ expiresIn: 45 }))), ['expiresIn'])
    assert.deepEqual(fields(await post(body({ expiresIn: undefined }))), ['expiresIn'])
    assert.deepEqual(fields(await post(body({ expiresAt: today.plus({ days: 5 }).toISODate() }))), [
      'expiresAt',
    ])
    const tooFar = today.plus({ years: 1, days: 1 }).toISODate()
    assert.deepEqual(fields(await post(body({ expiresIn: undefined, expiresAt: tooFar }))), [
      'expiresAt',
    ])
    const past = today.minus({ days: 1 }).toISODate()
    assert.deepEqual(fields(await post(body({ expiresIn: undefined, expiresAt: past }))), [
      'expiresAt',
    ])
    assert.deepEqual(
      fields(await post(body({ expiresIn: undefined, expiresAt: today.toISODate() }))),
      ['expiresAt']
    )
    assert.deepEqual(fields(await post(body({ expiresIn: undefined, expiresAt: '2026-02-30' }))), [
      'expiresAt',
    ])

    // Staff do not hold the user-management permission, and nobody holds an unknown one.
    const notHeld = await post(body({ abilities: [READ, 'kernel.users.manage', 'nope.x.y'] }))
    assert.deepEqual(fields(notHeld), ['abilities'])
    assert.include(notHeld.body().errors[0].message, 'kernel.users.manage')
    assert.include(notHeld.body().errors[0].message, 'nope.x.y')
    assert.notInclude(notHeld.body().errors[0].message, READ)

    await create(client, bearer, { name: 'Sauvegarde' })
    const twice = await post(body({ name: 'sauvegarde' }))
    assert.deepEqual(fields(twice), ['name'])
    assert.match(twice.body().errors[0].message, /déjà un jeton/)

    const rows = await db.from('auth_access_tokens').where('tokenable_id', user.id)
    // The helper's token and "Sauvegarde" only.
    assert.lengthOf(rows, 2)
  })

  test('the name is unique per user, not across users', async ({ client }) => {
    const { user, company } = await companyWithUser('staff')
    const other = await memberOf(company.id, 'staff')
    await create(client, await tokenFor(user), { name: 'CI' })
    await create(client, await tokenFor(other), { name: 'CI' })
  })

  test('two requests racing for one name: one token is created, the other refused', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const bearer = await tokenFor(user)
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        client
          .post('/api/v1/me/tokens')
          .bearerToken(bearer)
          .json(body({ name: 'Concurrent' }))
      )
    )
    assert.sameMembers(
      answers.map((a) => a.status()),
      [201, 422, 422]
    )
    const rows = await db
      .from('auth_access_tokens')
      .where({ tokenable_id: user.id, name: 'Concurrent' })
    assert.lengthOf(rows, 1)
  })

  test('a restricted token creates only narrower tokens', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const narrow = await create(client, await tokenFor(user), { abilities: [READ] })
    const all = await client
      .post('/api/v1/me/tokens')
      .bearerToken(narrow.secret)
      .json(body({ abilities: ['*'] }))
    assert.deepEqual(fields(all), ['abilities'])
    const wider = await client
      .post('/api/v1/me/tokens')
      .bearerToken(narrow.secret)
      .json(body({ abilities: [READ, CREATE] }))
    assert.deepEqual(fields(wider), ['abilities'])
    const same = await client
      .post('/api/v1/me/tokens')
      .bearerToken(narrow.secret)
      .json(body({ abilities: [READ] }))
    same.assertStatus(201)
  })
})

test.group('API tokens: abilities and expiry are enforced', () => {
  test('a read-only token reads contacts and gets 403 creating one, even an admin’s', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const readOnly = await create(client, await tokenFor(user), { abilities: [READ] })
    ;(await client.get('/api/v1/contacts').bearerToken(readOnly.secret)).assertStatus(200)
    const refused = await client
      .post('/api/v1/contacts')
      .bearerToken(readOnly.secret)
      .json({ kind: 'person', name: 'Refusé' })
    refused.assertStatus(403)
    assert.equal(
      await db
        .from('contacts')
        .where('name', 'Refusé')
        .count('* as n')
        .first()
        .then((r) => Number(r.n)),
      0
    )
    // Admin routes too: the token was not given the permission.
    ;(await client.get('/api/v1/admin/users').bearerToken(readOnly.secret)).assertStatus(403)
    ;(await client.get('/api/v1/audit').bearerToken(readOnly.secret)).assertStatus(403)

    const writer = await create(client, await tokenFor(user), { abilities: [READ, CREATE] })
    const made = await client
      .post('/api/v1/contacts')
      .bearerToken(writer.secret)
      .json({ kind: 'person', name: 'Accepté' })
    made.assertStatus(201)
  })

  test('abilities never add to the role: a token listing a permission the role lost gets 403', async ({
    client,
  }) => {
    const { company } = await companyWithUser('admin')
    const { user, role } = await memberWithGrants(company.id, [
      { permission: READ },
      { permission: CREATE },
    ])
    const token = await create(client, await tokenFor(user), { abilities: [READ, CREATE] })
    const { roleAdmin } = await import('#kernel/security/role_admin')
    await roleAdmin.update(role.id, { grants: [{ permission: READ }] })
    ;(await client.get('/api/v1/contacts').bearerToken(token.secret)).assertStatus(200)
    ;(
      await client
        .post('/api/v1/contacts')
        .bearerToken(token.secret)
        .json({ kind: 'person', name: 'Plus le droit' })
    ).assertStatus(403)
  })

  test('an expired token gets 401', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const token = await create(client, await tokenFor(user))
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(200)
    await db
      .from('auth_access_tokens')
      .where('id', token.id)
      .update({ expires_at: new Date(Date.now() - 60_000) })
    const refused = await client.get('/api/v1/me').bearerToken(token.secret)
    refused.assertStatus(401)
    const listed = await client.get('/api/v1/me/tokens').bearerToken(await tokenFor(user))
    assert.isTrue(listed.body().data.find((t: any) => t.id === token.id).expired)
  })
})

test.group('API tokens: the owner, through the page', () => {
  test('the page lists, creates (secret shown once) and revokes', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')

    const empty = await client.get('/profile/tokens').loginAs(user).withInertia()
    empty.assertStatus(200)
    empty.assertInertiaComponent('profile/tokens')
    assert.deepEqual(empty.inertiaProps.tokens, [])
    assert.isNull(empty.inertiaProps.created)
    assert.deepEqual(empty.inertiaProps.lifetimes, [30, 90, 365])
    // Only the permissions staff hold are offered.
    const offered = empty.inertiaProps.groups.flatMap((g: any) =>
      g.permissions.map((p: any) => p.key)
    )
    assert.include(offered, READ)
    assert.notInclude(offered, 'kernel.users.manage')

    const stored = await client
      .post('/profile/tokens')
      .loginAs(user)
      .withCsrfToken()
      .json({ name: 'Tableur', abilities: [READ], expiresIn: 30 })
      .redirects(0)
    stored.assertStatus(302)
    stored.assertHeader('location', '/profile/tokens')
    const flashed = stored.flashMessages().createdToken as { name: string; secret: string }
    assert.equal(flashed.name, 'Tableur')
    ;(await client.get('/api/v1/me').bearerToken(flashed.secret)).assertStatus(200)

    // The redirect's page shows the secret from the flash; later visits never do.
    const shown = await client
      .get('/profile/tokens')
      .loginAs(user)
      .withFlashMessages({ createdToken: flashed })
      .withInertia()
    assert.equal(shown.inertiaProps.created.secret, flashed.secret)
    const later = await client.get('/profile/tokens').loginAs(user).withInertia()
    assert.isNull(later.inertiaProps.created)
    const [listed] = later.inertiaProps.tokens
    assert.equal(listed.name, 'Tableur')
    assert.deepEqual(listed.abilities, [READ])
    assert.notInclude(JSON.stringify(later.inertiaProps), flashed.secret)

    const revoked = await client
      .delete(`/profile/tokens/${listed.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    revoked.assertStatus(302)
    ;(await client.get('/api/v1/me').bearerToken(flashed.secret)).assertStatus(401)
  })

  test('bad input on the page is a form error; nothing is written', async ({ client, assert }) => {
    const { user } = await companyWithUser('staff')
    const refused = await client
      .post('/profile/tokens')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/profile/tokens')
      .json({ name: '', abilities: ['kernel.roles.manage'], expiresIn: 30 })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertHeader('location', '/profile/tokens')
    assert.property(refused.flashMessages().inputErrorsBag, 'name')

    const notHeld = await client
      .post('/profile/tokens')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/profile/tokens')
      .json({ name: 'Rôles', abilities: ['kernel.roles.manage'], expiresIn: 30 })
      .redirects(0)
    assert.property(notHeld.flashMessages().inputErrorsBag, 'abilities')
    assert.lengthOf(await db.from('auth_access_tokens').where('tokenable_id', user.id), 0)
  })
})

test.group('API tokens: nobody else’s', () => {
  test('an owner cannot see nor revoke another user’s token (404)', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('admin')
    const other = await memberOf(company.id, 'staff')
    const theirs = await create(client, await tokenFor(other))
    const bearer = await tokenFor(user)

    const listed = await client.get('/api/v1/me/tokens').bearerToken(bearer)
    assert.notInclude(
      listed.body().data.map((t: any) => t.id),
      theirs.id
    )
    ;(await client.delete(`/api/v1/me/tokens/${theirs.id}`).bearerToken(bearer)).assertStatus(404)
    const page = await client
      .delete(`/profile/tokens/${theirs.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    page.assertStatus(404)
    ;(await client.get('/api/v1/me').bearerToken(theirs.secret)).assertStatus(200)
  })
})

test.group('API tokens: admins', () => {
  test('an admin lists and revokes a member’s tokens (API and page)', async ({
    client,
    assert,
  }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    const first = await create(client, await tokenFor(member), { name: 'Premier' })
    const second = await create(client, await tokenFor(member), { name: 'Second' })
    const bearer = await tokenFor(admin)

    const listed = await client.get(`/api/v1/admin/users/${member.id}/tokens`).bearerToken(bearer)
    listed.assertStatus(200)
    const names = listed.body().data.map((t: any) => t.name)
    assert.includeMembers(names, ['Premier', 'Second'])
    assert.notInclude(JSON.stringify(listed.body()), first.secret)

    ;(
      await client.delete(`/api/v1/admin/users/${member.id}/tokens/${first.id}`).bearerToken(bearer)
    ).assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(first.secret)).assertStatus(401)

    const page = await client.get(`/settings/users/${member.id}`).loginAs(admin).withInertia()
    page.assertStatus(200)
    assert.deepEqual(
      page.inertiaProps.tokens.map((t: any) => t.name).filter((n: string) => n !== 'test'),
      ['Second']
    )
    const revoked = await client
      .delete(`/settings/users/${member.id}/tokens/${second.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    revoked.assertStatus(302)
    revoked.assertHeader('location', `/settings/users/${member.id}`)
    ;(await client.get('/api/v1/me').bearerToken(second.secret)).assertStatus(401)

    // A token id that is not this member's: 404, and the token lives on.
    const own = await create(client, bearer)
    ;(
      await client.delete(`/api/v1/admin/users/${member.id}/tokens/${own.id}`).bearerToken(bearer)
    ).assertStatus(404)
    ;(await client.get('/api/v1/me').bearerToken(own.secret)).assertStatus(200)
  })

  test('members of another company are not found; non-admins get 403', async ({ client }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const { user: stranger } = await companyWithUser('staff')
    const strangerToken = await create(client, await tokenFor(stranger))
    const bearer = await tokenFor(admin)
    ;(
      await client.get(`/api/v1/admin/users/${stranger.id}/tokens`).bearerToken(bearer)
    ).assertStatus(404)
    ;(
      await client
        .delete(`/api/v1/admin/users/${stranger.id}/tokens/${strangerToken.id}`)
        .bearerToken(bearer)
    ).assertStatus(404)
    ;(await client.get('/api/v1/me').bearerToken(strangerToken.secret)).assertStatus(200)

    const manager = await memberOf(company.id, 'manager')
    const managerToken = await tokenFor(manager)
    ;(
      await client.get(`/api/v1/admin/users/${admin.id}/tokens`).bearerToken(managerToken)
    ).assertStatus(403)
    ;(
      await client
        .delete(`/api/v1/admin/users/${admin.id}/tokens/${strangerToken.id}`)
        .bearerToken(managerToken)
    ).assertStatus(403)
    ;(
      await client
        .delete(`/settings/users/${admin.id}/tokens/1`)
        .loginAs(manager)
        .withCsrfToken()
        .redirects(0)
    ).assertStatus(403)
  })

  test('deactivating a member revokes their tokens at once', async ({ client, assert }) => {
    const { user: admin, company } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    const token = await create(client, await tokenFor(member))
    ;(
      await client
        .patch(`/api/v1/admin/users/${member.id}`)
        .bearerToken(await tokenFor(admin))
        .json({ isActive: false })
    ).assertStatus(200)
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(401)
    assert.lengthOf(await db.from('auth_access_tokens').where('tokenable_id', member.id), 0)
  })
})

test.group('API tokens: last use', () => {
  /** The token's recorded last use, in epoch milliseconds (null if never). */
  async function lastUsed(id: number) {
    const row = await db.from('auth_access_tokens').where('id', id).select('last_used_at').first()
    const value = row.last_used_at
    if (value === null) return null
    return typeof value === 'number' ? value : new Date(value).getTime()
  }

  test('recorded on use, then at most once a minute; a revoked token is refused at once', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const owner = await tokenFor(user)
    const token = await create(client, owner)
    assert.isNull(await lastUsed(token.id))

    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(200)
    const first = await lastUsed(token.id)
    assert.isNotNull(first)
    assert.approximately(first!, Date.now(), 10_000)

    // Within the minute: the request is served, the row is not written again.
    const recent = new Date(Date.now() - 30_000)
    await db.from('auth_access_tokens').where('id', token.id).update({ last_used_at: recent })
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(200)
    assert.equal(await lastUsed(token.id), recent.getTime())

    // Older than a minute: written again.
    const old = new Date(Date.now() - 61_000)
    await db.from('auth_access_tokens').where('id', token.id).update({ last_used_at: old })
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(200)
    assert.approximately((await lastUsed(token.id))!, Date.now(), 10_000)

    ;(await client.delete(`/api/v1/me/tokens/${token.id}`).bearerToken(owner)).assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(token.secret)).assertStatus(401)
  })

  test('a wrong secret for a known token is refused and records no use', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const token = await create(client, await tokenFor(user))
    const [prefixAndId] = token.secret.split('.')
    const forged = `${prefixAndId}.${'x'.repeat(token.secret.split('.')[1].length)}`
    ;(await client.get('/api/v1/me').bearerToken(forged)).assertStatus(401)
    assert.isNull(await lastUsed(token.id))
  })
})
