import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import {
  notify,
  notificationChannels,
  NotificationInputError,
  type LiveMessage,
} from '#kernel/notifications/notifications'
import { validateManifest } from '#kernel/modules/manifest'
import { LIFECYCLE_WORKFLOW } from '#modules/contacts/workflow'
import type { WorkflowDefinition } from '#kernel/workflow/types'

/**
 * The notification service and centre: who gets a notification, written in
 * the caller's transaction and delivered (live, mail) after its commit; the
 * centre's list, counts and marks, each user's own only; preferences; the
 * workflow engine's notify/email actions.
 */

const TITLE = { fr: 'Devis accepté', en: 'Quote accepted' }

/** Live pushes made while `run` runs (the real push is replaced for the time of it). */
async function recordingPushes<T>(run: () => Promise<T>) {
  const pushed: { userId: number; message: LiveMessage }[] = []
  const original = notificationChannels.push
  notificationChannels.push = (userId, message) => {
    pushed.push({ userId, message })
    original(userId, message)
  }
  try {
    return { result: await run(), pushed }
  } finally {
    notificationChannels.push = original
  }
}

test.group('Notifications: the service', () => {
  test('writes one row per active member of the company; others are skipped', async ({
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const staff = await memberOf(company.id, 'staff')
    const inactive = await memberOf(company.id, 'staff')
    await db.from('users').where('id', inactive.id).update({ is_active: false })
    const { user: stranger } = await companyWithUser('staff')

    const { result: ids, pushed } = await recordingPushes(() =>
      notify({
        type: 'kernel.workflow',
        companyId: company.id,
        recipients: [admin.id, staff.id, staff.id, inactive.id, stranger.id],
        title: TITLE,
        body: { key: 'notifications.empty' },
        link: '/contacts/1',
        record: { model: 'contacts.contact', id: 1 },
      })
    )
    assert.lengthOf(ids, 2)
    const rows = await db.from('notifications').whereIn('id', ids).orderBy('user_id')
    assert.sameMembers(
      rows.map((r) => r.user_id),
      [admin.id, staff.id]
    )
    assert.equal(rows[0].company_id, company.id)
    assert.equal(rows[0].link, '/contacts/1')
    assert.equal(rows[0].record_id, '1')
    assert.sameMembers(
      pushed.map((p) => p.userId),
      [admin.id, staff.id]
    )
    const toStaff = pushed.find((p) => p.userId === staff.id)!.message
    assert.equal(toStaff.companyId, company.id)
    assert.equal(toStaff.unread, 1)
    assert.equal(toStaff.notification.title, 'Devis accepté')
    assert.equal(toStaff.notification.body, 'Aucune notification pour le moment.')
  })

  test('a type that needs a permission reaches only members holding it', async ({ assert }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const { user: reader } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
    ])
    const { user: nobody } = await memberWithGrants(company.id, [])
    const { default: registry } = await import('#kernel/modules/registry')
    const contacts = registry.get('contacts')
    const original = contacts.notifications
    ;(contacts as any).notifications = [
      ...(original ?? []),
      {
        key: 'test_readers',
        label: { fr: 'Lecteurs', en: 'Readers' },
        permission: 'contacts.contact.read',
      },
    ]
    try {
      const ids = await notify({
        type: 'contacts.test_readers',
        companyId: company.id,
        recipients: [admin.id, reader.id, nobody.id],
        title: TITLE,
      })
      const users = await db.from('notifications').whereIn('id', ids).select('user_id')
      assert.sameMembers(
        users.map((u) => u.user_id),
        [admin.id, reader.id]
      )
    } finally {
      ;(contacts as any).notifications = original
    }
  })

  test('inside the caller’s transaction: a rollback takes the rows, nothing is pushed or mailed', async ({
    assert,
    cleanup,
  }) => {
    const { company, user } = await companyWithUser('staff')
    await db.table('notification_preferences').insert({
      user_id: user.id,
      type: 'kernel.workflow',
      in_app: true,
      email: true,
      updated_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
    })
    const { messages } = mail.fake()
    cleanup(() => mail.restore())

    const { pushed } = await recordingPushes(async () => {
      await db
        .transaction(async (trx) => {
          const ids = await notify(
            { type: 'kernel.workflow', companyId: company.id, recipients: [user.id], title: TITLE },
            { client: trx }
          )
          assert.lengthOf(ids, 1)
          throw new Error('the caller fails after notifying')
        })
        .catch((error) => assert.equal(error.message, 'the caller fails after notifying'))
    })
    assert.lengthOf(await db.from('notifications').where('user_id', user.id), 0)
    assert.lengthOf(pushed, 0)
    messages.assertNoneSent()

    // Committed, the same call delivers once the transaction is done.
    const { pushed: after } = await recordingPushes(() =>
      db.transaction((trx) =>
        notify(
          { type: 'kernel.workflow', companyId: company.id, recipients: [user.id], title: TITLE },
          { client: trx }
        )
      )
    )
    assert.lengthOf(await db.from('notifications').where('user_id', user.id), 1)
    assert.lengthOf(after, 1)
    messages.assertSentCount(1)
  })

  test('refuses an undeclared type, a link outside the site and a malformed title', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')
    const base = { companyId: company.id, recipients: [user.id], title: TITLE }
    await assert.rejects(
      () => notify({ ...base, type: 'contacts.nope' }),
      NotificationInputError as any
    )
    for (const link of ['https://evil.example/x', '//evil.example/x', 'contacts/1']) {
      await assert.rejects(
        () => notify({ ...base, type: 'kernel.workflow', link }),
        NotificationInputError as any
      )
    }
    await assert.rejects(
      () => notify({ ...base, type: 'kernel.workflow', title: { fr: '', en: '' } }),
      NotificationInputError as any
    )
    assert.lengthOf(await db.from('notifications').where('user_id', user.id), 0)
  })

  test('the manifest declaration is validated at boot', ({ assert }) => {
    const manifest = (notifications: unknown) => ({
      name: 'fleet',
      version: '1.0.0',
      label: { fr: 'Flotte', en: 'Fleet' },
      description: { fr: 'Véhicules', en: 'Vehicles' },
      permissions: [{ key: 'fleet.car.read', label: { fr: 'Voir', en: 'View' } }],
      notifications,
    })
    const label = { fr: 'Révision due', en: 'Service due' }
    assert.doesNotThrow(() =>
      validateManifest(
        manifest([
          {
            key: 'service_due',
            label,
            channels: { email: true },
            permission: 'fleet.car.read',
          },
        ]),
        'fleet'
      )
    )
    const refusals: [unknown, string][] = [
      [{ key: 'service_due' }, 'must be a list'],
      [[{ key: 'service_due' }], 'notifications[0].label'],
      [[{ key: 'Service Due', label }], 'notifications[0].key'],
      [
        [
          { key: 'a', label },
          { key: 'a', label },
        ],
        '"a" is declared twice',
      ],
      [[{ key: 'a', label, channels: { sms: true } }], 'notifications[0].channels'],
      [[{ key: 'a', label, channels: { email: 'yes' } }], 'notifications[0].channels'],
      [[{ key: 'a', label, permission: 'fleet.car.delete' }], 'fleet.car.delete'],
    ]
    for (const [notifications, expected] of refusals) {
      assert.throws(() => validateManifest(manifest(notifications), 'fleet'), expected)
    }
  })
})

async function seed(companyId: number, userId: number, count: number, offset = 0) {
  for (let i = 0; i < count; i++) {
    await notify({
      type: 'kernel.workflow',
      companyId,
      recipients: [userId],
      title: { fr: `Message ${offset + i + 1}`, en: `Message ${offset + i + 1}` },
    })
  }
}

test.group('Notifications: the centre', () => {
  test('the API lists the user’s own, newest first, by keyset pages, with the unread count', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')
    const other = await memberOf(company.id, 'staff')
    const { company: second } = await companyWithUser('admin')
    await db.table('company_users').insert({
      company_id: second.id,
      user_id: user.id,
      role_id: (await db.from('roles').where('key', 'staff').firstOrFail()).id,
    })
    await seed(company.id, user.id, 30)
    await seed(company.id, other.id, 2, 100)
    await seed(second.id, user.id, 1, 200)
    const token = await tokenFor(user)

    const first = await client.get('/api/v1/notifications').bearerToken(token)
    first.assertStatus(200)
    assert.lengthOf(first.body().data, 25)
    assert.equal(first.body().data[0].title, 'Message 30')
    assert.equal(first.body().unread, 30)
    assert.isString(first.body().nextCursor)
    const next = await client
      .get('/api/v1/notifications')
      .qs({ cursor: first.body().nextCursor })
      .bearerToken(token)
    assert.deepEqual(
      next.body().data.map((n: any) => n.title),
      ['Message 5', 'Message 4', 'Message 3', 'Message 2', 'Message 1']
    )
    assert.isNull(next.body().nextCursor)
    const titles = [...first.body().data, ...next.body().data].map((n: any) => n.title)
    assert.notInclude(titles, 'Message 101')
    assert.notInclude(titles, 'Message 201')

    const bad = await client.get('/api/v1/notifications').qs({ cursor: 'nope' }).bearerToken(token)
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'cursor')

    // Another company of the same user: its own notifications only.
    const elsewhere = await client
      .get('/api/v1/notifications')
      .header('X-Company-Id', String(second.id))
      .bearerToken(token)
    elsewhere.assertStatus(200)
    assert.deepEqual(
      elsewhere.body().data.map((n: any) => n.title),
      ['Message 201']
    )
  })

  test('mark one read, mark all read; never someone else’s', async ({ client, assert }) => {
    const { company, user } = await companyWithUser('staff')
    const other = await memberOf(company.id, 'staff')
    await seed(company.id, user.id, 3)
    await seed(company.id, other.id, 1)
    const token = await tokenFor(user)
    const mine = await db.from('notifications').where('user_id', user.id).orderBy('id')
    const theirs = await db.from('notifications').where('user_id', other.id).firstOrFail()

    const read = await client.post(`/api/v1/notifications/${mine[0].id}/read`).bearerToken(token)
    read.assertStatus(200)
    const count = await client.get('/api/v1/notifications/unread').bearerToken(token)
    assert.equal(count.body().data.unread, 2)

    const refused = await client.post(`/api/v1/notifications/${theirs.id}/read`).bearerToken(token)
    refused.assertStatus(404)
    assert.isNull((await db.from('notifications').where('id', theirs.id).first()).read_at)

    const unreadOnly = await client.get('/api/v1/notifications?unread=true').bearerToken(token)
    assert.lengthOf(unreadOnly.body().data, 2)

    const all = await client.post('/api/v1/notifications/read-all').bearerToken(token)
    all.assertStatus(200)
    assert.equal(all.body().data.marked, 2)
    assert.equal(
      (await client.get('/api/v1/notifications/unread').bearerToken(token)).body().data.unread,
      0
    )
    assert.isNull((await db.from('notifications').where('id', theirs.id).first()).read_at)
  })

  test('the page lists them with an empty state, and the bell count is shared with every page', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')
    const empty = await client.get('/notifications').loginAs(user).withInertia()
    empty.assertStatus(200)
    empty.assertInertiaComponent('notifications')
    assert.deepEqual(empty.body().props.notifications, [])
    assert.equal(empty.body().props.unreadNotifications, 0)

    await seed(company.id, user.id, 2)
    const list = await client.get('/notifications').loginAs(user).withInertia()
    assert.deepEqual(
      list.body().props.notifications.map((n: any) => n.title),
      ['Message 2', 'Message 1']
    )
    const home = await client.get('/').loginAs(user).withInertia()
    assert.equal(home.body().props.unreadNotifications, 2)

    const id = list.body().props.notifications[0].id
    const marked = await client
      .post(`/notifications/${id}/read`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    marked.assertStatus(302)
    const all = await client
      .post('/notifications/read-all')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    all.assertStatus(302)
    const after = await client.get('/notifications?unread=true').loginAs(user).withInertia()
    assert.deepEqual(after.body().props.notifications, [])
    assert.equal(after.body().props.unreadNotifications, 0)
  })
})

test.group('Notifications: preferences and mail', () => {
  test('preferences list every type with its defaults and save through the API (422 on an unknown type)', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const token = await tokenFor(user)
    const listed = await client.get('/api/v1/me/notification-preferences').bearerToken(token)
    listed.assertStatus(200)
    const workflow = listed.body().data.find((p: any) => p.type === 'kernel.workflow')
    assert.deepInclude(workflow, { inApp: true, email: false, module: 'kernel' })
    assert.deepInclude(
      listed.body().data.find((p: any) => p.type === 'kernel.workflow_email'),
      { inApp: true, email: true }
    )

    const refused = await client
      .put('/api/v1/me/notification-preferences')
      .bearerToken(token)
      .json({ preferences: [{ type: 'contacts.nope', inApp: true, email: true }] })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'preferences.0.type')
    assert.lengthOf(await db.from('notification_preferences').where('user_id', user.id), 0)

    const saved = await client
      .put('/api/v1/me/notification-preferences')
      .bearerToken(token)
      .json({ preferences: [{ type: 'kernel.workflow', inApp: false, email: true }] })
    saved.assertStatus(200)
    assert.deepInclude(
      saved.body().data.find((p: any) => p.type === 'kernel.workflow'),
      { inApp: false, email: true }
    )
  })

  test('the page saves preferences; mail goes only to users who chose it, in their language', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { company, user: chooser } = await companyWithUser('staff')
    await db.from('users').where('id', chooser.id).update({ locale: 'en' })
    const quiet = await memberOf(company.id, 'staff')
    const appOff = await memberOf(company.id, 'staff')

    const page = await client.get('/profile/notifications').loginAs(chooser).withInertia()
    page.assertInertiaComponent('profile/notifications')
    assert.isTrue(page.body().props.preferences.some((p: any) => p.type === 'kernel.workflow'))
    const saved = await client
      .put('/profile/notifications')
      .loginAs(chooser)
      .withCsrfToken()
      .redirects(0)
      .json({ preferences: [{ type: 'kernel.workflow', inApp: true, email: true }] })
    saved.assertStatus(302)
    const invalid = await client
      .put('/profile/notifications')
      .loginAs(chooser)
      .withCsrfToken()
      .redirects(0)
      .json({ preferences: [{ type: 'kernel.workflow', inApp: 'maybe', email: true }] })
    invalid.assertStatus(302)
    await client
      .put('/profile/notifications')
      .loginAs(appOff)
      .withCsrfToken()
      .json({ preferences: [{ type: 'kernel.workflow', inApp: false, email: false }] })

    const { messages } = mail.fake()
    cleanup(() => mail.restore())
    const ids = await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [chooser.id, quiet.id, appOff.id],
      title: TITLE,
      body: { fr: 'Le client a signé.', en: 'The customer signed.' },
      link: '/contacts/7',
    })
    // In the app for those who keep it on; by mail to the one who chose it.
    const rows = await db.from('notifications').whereIn('id', ids).select('user_id')
    assert.sameMembers(
      rows.map((r) => r.user_id),
      [chooser.id, quiet.id]
    )
    messages.assertSentCount(1)
    const sent = messages.sent()[0]
    assert.isTrue(sent.hasTo(chooser.email))
    assert.isTrue(sent.hasSubject('Quote accepted'))
    const { html, text } = sent.nodeMailerMessage
    assert.include(text as string, 'The customer signed.')
    assert.include(text as string, '/contacts/7')
    assert.include(html as string, 'The customer signed.')
    assert.include(html as string, 'notification preferences')
  })
})

test.group('Notifications: workflow actions', (group) => {
  const MODEL = 'contacts.contact'
  // Workflow versions are the site's: put the default back after publishing.
  group.each.teardown(async () => {
    await db.from('workflow_drafts').where('model', MODEL).delete()
    const latest = await db.from('workflow_versions').where('model', MODEL).max('version as v')
    const { user } = await companyWithUser('admin')
    await db.table('workflow_versions').insert({
      model: MODEL,
      version: Number(latest[0].v) + 1,
      definition: JSON.stringify(LIFECYCLE_WORKFLOW.definition),
      published_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      published_by: user.id,
    })
  })

  test('notify and email actions of a transition are delivered and marked done', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const owner = await memberOf(company.id, 'staff')
    const manager = await memberOf(company.id, 'manager')
    const adminToken = await tokenFor(admin)

    const definition: WorkflowDefinition = structuredClone(LIFECYCLE_WORKFLOW.definition)
    definition.transitions[0].actions = [
      ...(definition.transitions[0].actions ?? []),
      { type: 'notify', owner: true, message: { fr: 'Contact gagné', en: 'Contact won' } },
      { type: 'email', roles: ['manager'], message: { fr: 'Nouveau client', en: 'New client' } },
    ]
    ;(
      await client
        .put(`/api/v1/admin/workflows/${MODEL}/draft`)
        .bearerToken(adminToken)
        .json({ definition })
    ).assertStatus(200)
    ;(
      await client.post(`/api/v1/admin/workflows/${MODEL}/publish`).bearerToken(adminToken)
    ).assertStatus(201)

    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(adminToken)
      .json({ kind: 'company', name: 'Charpentes Morvan', ownerId: owner.id })
    created.assertStatus(201)
    const contactId = created.body().data.id

    const { messages } = mail.fake()
    cleanup(() => mail.restore())
    const fired = await client
      .post(`/api/v1/contacts/${contactId}/transitions`)
      .bearerToken(adminToken)
      .json({ transition: definition.transitions[0].key })
    fired.assertStatus(200)

    const deliveries = await db
      .from('workflow_deliveries')
      .where('company_id', company.id)
      .orderBy('id')
    assert.deepEqual(
      deliveries.map((d) => [d.channel, d.status]),
      [
        ['notify', 'delivered'],
        ['email', 'delivered'],
      ]
    )
    const ownerRows = await db
      .from('notifications')
      .where('user_id', owner.id)
      .where('type', 'like', 'kernel.%')
    assert.lengthOf(ownerRows, 1)
    assert.equal(ownerRows[0].type, 'kernel.workflow')
    assert.equal(ownerRows[0].model, MODEL)
    assert.equal(ownerRows[0].record_id, String(contactId))
    const managerRows = await db.from('notifications').where('user_id', manager.id)
    assert.equal(managerRows[0].type, 'kernel.workflow_email')
    // The email action mails the managers (their default for it); notify does not mail.
    messages.assertSentCount(1)
    assert.isTrue(messages.sent()[0].hasTo(manager.email))
    assert.isTrue(messages.sent()[0].hasSubject('Nouveau client'))
  })
})
