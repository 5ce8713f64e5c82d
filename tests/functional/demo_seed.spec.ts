import { test } from '@japa/runner'
import User from '#models/user'
import { seedDemo, DEMO_LOGIN } from '#database/seeders/demo'
import { enrolUser } from '#tests/helpers/mfa'
import { tokenFor } from '#tests/helpers/fixtures'
import { verifyLedger } from '#modules/stock/services/verify'

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

    // Stock: a depot and a van, stocked through the ledger, one article below its minimum.
    const stock = await client.get('/stock').loginAs(admin).withInertia()
    stock.assertStatus(200)
    assert.lengthOf(stock.inertiaProps.articles, 6)
    const token = await tokenFor(admin)
    const levels = (await client.get('/api/v1/stock/levels?limit=50').bearerToken(token)).body()
      .data as { reference: string; locationName: string; quantity: number }[]
    const level = (reference: string, location: string) =>
      levels.find((l) => l.reference === reference && l.locationName === location)?.quantity
    assert.equal(level('ARD-4025-ESP', 'Dépôt de Rennes'), 4_600_000)
    assert.equal(level('ARD-4025-ESP', 'Fourgon couverture'), 4_000)
    assert.equal(level('ARD-3222-ANG', 'Dépôt de Rennes'), 500_000)
    const reorder = (await client.get('/api/v1/stock/reorder').bearerToken(token)).body().data
    assert.include(JSON.stringify(reorder), 'ARD-3222-ANG')
    assert.notInclude(JSON.stringify(reorder), 'ARD-4025-ESP')
    assert.deepEqual((await verifyLedger(company.inertiaProps.company.id)).mismatches, [])
  })
})
