import { test } from '@japa/runner'
import User from '#models/user'
import { seedDemo, DEMO_LOGIN } from '#database/seeders/demo'
import { enrolUser } from '#tests/helpers/mfa'

test.group('Demo data', () => {
  test('the demo company opens with its contacts, readable in lists and detail pages', async ({
    client,
    assert,
  }) => {
    await seedDemo()
    const admin = await User.findByOrFail('email', DEMO_LOGIN.email)
    assert.isTrue(await admin.verifyPassword(DEMO_LOGIN.password))
    // An admin: sent to enrolment until they switch MFA on, as at the first real sign-in.
    const first = await client.get('/contacts').loginAs(admin).redirects(0)
    first.assertStatus(302)
    first.assertHeader('location', '/profile/security')
    await enrolUser(admin)

    const list = await client.get('/contacts').loginAs(admin).withInertia()
    list.assertStatus(200)
    assert.isAtLeast(list.inertiaProps.contacts.length, 5)
    for (const row of list.inertiaProps.contacts.slice(0, 3)) {
      const show = await client.get(`/contacts/${row.id}`).loginAs(admin).withInertia()
      show.assertStatus(200)
      assert.isString(show.inertiaProps.contact.createdAt)
    }
    const company = await client.get('/settings/company').loginAs(admin).withInertia()
    assert.equal(company.inertiaProps.company.siren, '732829320')
  })
})
