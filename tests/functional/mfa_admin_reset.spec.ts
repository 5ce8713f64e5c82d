import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/browser_session'
import { enrolUser } from '#tests/helpers/mfa'

test.group('MFA: an admin resets a member who lost their second factor', () => {
  test('the secret and recovery codes go, the sessions end, and it is audited', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    await enrolUser(member)
    const jar = await signIn(member.email, TEST_PASSWORD)
    ;(await jar.get('/')).assertStatus(200)

    const shown = await client.get(`/settings/users/${member.id}`).loginAs(admin).withInertia()
    assert.isTrue(shown.inertiaProps.mfa.enabled)

    const token = await tokenFor(admin)
    const response = await client.delete(`/api/v1/admin/users/${member.id}/mfa`).bearerToken(token)
    response.assertStatus(200)
    assert.isTrue(response.body().data.reset)
    assert.isAtLeast(response.body().data.sessionsEnded, 1)

    assert.isNull(await db.from('user_mfa').where('user_id', member.id).first())
    assert.lengthOf(await db.from('user_recovery_codes').where('user_id', member.id), 0)
    const page = await jar.get('/')
    page.assertStatus(302)
    page.assertHeader('location', '/login')
    const entry = await db
      .from('audit_logs')
      .where({ event: 'mfa.reset', record_id: String(member.id) })
      .first()
    assert.equal(entry.actor_id, admin.id)
    assert.equal(entry.company_id, company.id)

    // Signing in again needs no code: there is none left to ask for.
    await signIn(member.email, TEST_PASSWORD)
    const again = await client.delete(`/api/v1/admin/users/${member.id}/mfa`).bearerToken(token)
    assert.deepEqual(again.body().data, { reset: false, sessionsEnded: 0 })
  })

  test('the page action works; not on oneself, not for non-admins, not across companies', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const member = await memberOf(company.id, 'staff')
    await enrolUser(member)

    const posted = await client
      .delete(`/settings/users/${member.id}/mfa`)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    posted.assertStatus(302)
    assert.isNull(await db.from('user_mfa').where('user_id', member.id).first())

    const self = await client
      .delete(`/api/v1/admin/users/${admin.id}/mfa`)
      .bearerToken(await tokenFor(admin))
    self.assertStatus(422)
    assert.equal(self.body().errors[0].field, 'mfa')
    assert.isNotNull(await db.from('user_mfa').where('user_id', admin.id).first())

    const manager = await memberOf(company.id, 'manager')
    ;(
      await client
        .delete(`/api/v1/admin/users/${member.id}/mfa`)
        .bearerToken(await tokenFor(manager))
    ).assertStatus(403)

    const { user: elsewhere } = await companyWithUser('admin')
    ;(
      await client
        .delete(`/api/v1/admin/users/${member.id}/mfa`)
        .bearerToken(await tokenFor(elsewhere))
    ).assertStatus(404)
  })
})
