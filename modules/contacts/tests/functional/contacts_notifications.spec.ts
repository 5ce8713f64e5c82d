import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'

/** A contact given to someone else tells them, in their language, with a link to it. */
test.group('Contacts: assignment notification', () => {
  test('the new owner is notified on create and on a change of owner; not for their own', async ({
    client,
    assert,
  }) => {
    const { company, user: manager } = await companyWithUser('manager')
    const staff = await memberOf(company.id, 'staff')
    await db.from('users').where('id', staff.id).update({ locale: 'en' })
    const { user: blind } = await memberWithGrants(company.id, [])
    const token = await tokenFor(manager)

    const own = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Zinc Armor' })
    own.assertStatus(201)
    const given = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Ardoises du Faouët', ownerId: staff.id })
    given.assertStatus(201)
    const contact = given.body().data

    const staffToken = await tokenFor(staff)
    const list = await client.get('/api/v1/notifications').bearerToken(staffToken)
    assert.deepEqual(
      list.body().data.map((n: any) => [n.type, n.title, n.body, n.link]),
      [
        [
          'contacts.contact_assigned',
          'Contact assigned: Ardoises du Faouët',
          `Contact ${contact.code} was assigned to you.`,
          `/contacts/${contact.id}`,
        ],
      ]
    )
    assert.lengthOf(await db.from('notifications').where('user_id', manager.id), 0)

    // Back to the manager (who does it): nobody is told; to a member who cannot
    // read contacts: skipped, as the type requires contacts.contact.read.
    ;(
      await client
        .patch(`/api/v1/contacts/${contact.id}`)
        .bearerToken(token)
        .json({ ownerId: blind.id })
    ).assertStatus(200)
    assert.lengthOf(await db.from('notifications').where('user_id', blind.id), 0)
    ;(
      await client
        .patch(`/api/v1/contacts/${contact.id}`)
        .bearerToken(token)
        .json({ ownerId: staff.id })
    ).assertStatus(200)
    const again = await client.get('/api/v1/notifications').bearerToken(staffToken)
    assert.lengthOf(again.body().data, 2)
  })
})
