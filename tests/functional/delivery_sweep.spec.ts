import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { notify, notificationChannels } from '#kernel/notifications/notifications'
import { DELIVERY_GRACE_MS, redeliver, sweepDeliveries } from '#kernel/notifications/sweep'
import { deliveryMaxAttempts } from '#config/housekeeping'
import { dbNow } from '#kernel/db/timestamp'
import { resolveAccess } from '#kernel/security/access'
import { fire } from '#kernel/workflow/engine'
import type { WorkflowDefinition } from '#kernel/workflow/types'
import { LIFECYCLE_WORKFLOW } from '#modules/contacts/workflow'

/**
 * The delivery sweep: what a crash between a commit and its after-commit
 * delivery leaves owed (notification mails, workflow notify/email actions)
 * is delivered by the kernel schedule, once, even with two sweeps at once;
 * failures count attempts and are given up, and listed, after the limit.
 */

const TITLE = { fr: 'Chantier clôturé', en: 'Job site closed' }

/** Mails handed to the mail channel while `run` runs, instead of sending them. */
async function recordingMails<T>(
  run: (sent: { email: string; title: string }[]) => Promise<T>,
  options: { failFor?: Set<string>; delayMs?: number } = {}
) {
  const sent: { email: string; title: string }[] = []
  const original = notificationChannels.mail
  notificationChannels.mail = async (to, content) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    if (options.failFor?.has(to.email)) throw new Error(`SMTP refused ${to.email}`)
    sent.push({ email: to.email, title: content.title })
  }
  try {
    return { result: await run(sent), sent }
  } finally {
    notificationChannels.mail = original
  }
}

/**
 * Commits `work` as a transaction whose after-commit hooks never run: the
 * rows are written as the commit writes them, and the process "dies" before
 * delivering.
 */
async function commitThenCrash(work: (trx: TransactionClientContract) => Promise<unknown>) {
  const trx = await db.transaction()
  ;(trx as any).after = () => trx
  try {
    await work(trx)
    await trx.commit()
  } catch (error) {
    await trx.rollback()
    throw error
  }
}

/** A moment past the grace period of everything written so far. */
function afterGrace(extraMs = 0) {
  return new Date(Date.now() + DELIVERY_GRACE_MS + 1000 + extraMs)
}

async function wantsMail(userId: number, type = 'kernel.workflow') {
  await db.table('notification_preferences').insert({
    user_id: userId,
    type,
    in_app: true,
    email: true,
    updated_at: dbNow(),
  })
}

async function owedMail(companyId: number, userId: number) {
  await commitThenCrash((trx) =>
    notify(
      { type: 'kernel.workflow', companyId, recipients: [userId], title: TITLE, link: '/x/1' },
      { client: trx }
    )
  )
  const row = await db
    .from('notification_mails')
    .where('user_id', userId)
    .orderBy('id', 'desc')
    .first()
  return row
}

async function owedWorkflowDelivery(
  companyId: number,
  recipients: number[],
  options: { channel?: 'notify' | 'email'; message?: string } = {}
) {
  // As the engine's transition writes it in its transaction (queueActions).
  const [row] = await db
    .table('workflow_deliveries')
    .insert({
      company_id: companyId,
      model: 'contacts.contact',
      record_id: '42',
      transition: 'win',
      channel: options.channel ?? 'email',
      recipients: JSON.stringify(recipients),
      message: options.message ?? JSON.stringify({ fr: 'Nouveau client', en: 'New client' }),
      status: 'pending',
      created_at: dbNow(),
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

test.group('Delivery sweep', () => {
  test('a notification mail lost in a crash is sent by the sweep, once', async ({ assert }) => {
    const { company, user } = await companyWithUser('staff')
    await wantsMail(user.id)

    const { sent } = await recordingMails(async () => {
      const owed = await owedMail(company.id, user.id)
      assert.equal(owed.status, 'pending')
      assert.equal(owed.email, user.email)
      // The in-app row committed with it.
      assert.lengthOf(await db.from('notifications').where('user_id', user.id), 1)

      // Within the grace period the sweep leaves it to the after-commit path.
      await sweepDeliveries()
      assert.equal(
        (await db.from('notification_mails').where('id', owed.id).first()).status,
        'pending'
      )

      const swept = await sweepDeliveries({ now: afterGrace() })
      assert.isAtLeast(swept.mails, 1)
      await sweepDeliveries({ now: afterGrace(60_000) })
      const row = await db.from('notification_mails').where('id', owed.id).first()
      assert.equal(row.status, 'sent')
      assert.equal(Number(row.attempts), 1)
      assert.exists(row.sent_at)
    })
    assert.deepEqual(
      sent.filter((m) => m.email === user.email),
      [{ email: user.email, title: 'Chantier clôturé' }]
    )
  })

  test('the after-commit path sends at once and leaves nothing for the sweep', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')
    await wantsMail(user.id)
    const { sent } = await recordingMails(async () => {
      await db.transaction((trx) =>
        notify(
          { type: 'kernel.workflow', companyId: company.id, recipients: [user.id], title: TITLE },
          { client: trx }
        )
      )
      await sweepDeliveries({ now: afterGrace() })
    })
    assert.lengthOf(
      sent.filter((m) => m.email === user.email),
      1
    )
    const rows = await db.from('notification_mails').where('user_id', user.id)
    assert.deepEqual(
      rows.map((r) => [r.status, Number(r.attempts)]),
      [['sent', 1]]
    )
  })

  test('a workflow action lost in a crash is delivered by the sweep, once', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const manager = await memberOf(company.id, 'manager')
    const id = await owedWorkflowDelivery(company.id, [manager.id])

    const { sent } = await recordingMails(async () => {
      await sweepDeliveries()
      assert.equal((await db.from('workflow_deliveries').where('id', id).first()).status, 'pending')
      await sweepDeliveries({ now: afterGrace() })
      await sweepDeliveries({ now: afterGrace(60_000) })
    })
    const delivery = await db.from('workflow_deliveries').where('id', id).first()
    assert.equal(delivery.status, 'delivered')
    assert.equal(Number(delivery.attempts), 1)
    const notes = await db.from('notifications').where('user_id', manager.id)
    assert.lengthOf(notes, 1)
    assert.equal(notes[0].type, 'kernel.workflow_email')
    // The email action's mail (the type's default), sent once.
    assert.deepEqual(
      sent.filter((m) => m.email === manager.email),
      [{ email: manager.email, title: 'Nouveau client' }]
    )
  })

  test('two sweeps at once deliver every owed mail and action exactly once', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const users = await Promise.all(
      Array.from({ length: 12 }, () => memberOf(company.id, 'manager'))
    )
    for (const user of users) await wantsMail(user.id)
    const mailIds: number[] = []
    for (const user of users) mailIds.push(Number((await owedMail(company.id, user.id)).id))
    const deliveryIds: number[] = []
    for (const user of users.slice(0, 6)) {
      deliveryIds.push(await owedWorkflowDelivery(company.id, [user.id], { channel: 'notify' }))
    }

    const now = afterGrace()
    const { result, sent } = await recordingMails(
      () => Promise.all([sweepDeliveries({ now }), sweepDeliveries({ now })]),
      { delayMs: 15 }
    )
    // Each owed mail, and the mail each delivered action owes in turn (these
    // users take kernel.workflow by mail too), sent exactly once.
    const ours = new Set(users.map((u) => u.email))
    const counts = new Map<string, number>()
    for (const mail of sent.filter((m) => ours.has(m.email))) {
      const key = `${mail.email} ${mail.title}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    assert.equal(counts.size, users.length + deliveryIds.length)
    assert.isTrue([...counts.values()].every((n) => n === 1))
    // Both sweeps took part: they raced over the same rows.
    assert.isAbove(result[0].mails, 0)
    assert.isAbove(result[1].mails, 0)
    assert.isAtLeast(result[0].mails + result[1].mails, users.length)
    assert.isAtLeast(result[0].workflow + result[1].workflow, deliveryIds.length)

    const mails = await db.from('notification_mails').whereIn('id', mailIds)
    assert.isTrue(mails.every((m) => m.status === 'sent' && Number(m.attempts) === 1))
    const deliveries = await db.from('workflow_deliveries').whereIn('id', deliveryIds)
    assert.isTrue(deliveries.every((d) => d.status === 'delivered' && Number(d.attempts) === 1))
    // One in-app notification per action, none doubled.
    const notes = await db
      .from('notifications')
      .whereIn(
        'user_id',
        users.slice(0, 6).map((u) => u.id)
      )
      .where('type', 'kernel.workflow')
      .where('record_id', '42')
    assert.lengthOf(notes, deliveryIds.length)
  }).timeout(60000)

  test('a failing mail keeps its attempts, stops after the limit and is listed for admins', async ({
    assert,
    client,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const user = await memberOf(company.id, 'staff')
    await wantsMail(user.id)
    const failFor = new Set([user.email])
    let id = 0
    const { sent } = await recordingMails(
      async () => {
        id = Number((await owedMail(company.id, user.id)).id)
        let at = afterGrace()
        for (let i = 1; i <= deliveryMaxAttempts + 2; i++) {
          await sweepDeliveries({ now: at })
          const row = await db.from('notification_mails').where('id', id).first()
          assert.equal(Number(row.attempts), Math.min(i, deliveryMaxAttempts))
          assert.equal(row.status, i < deliveryMaxAttempts ? 'pending' : 'failed')
          assert.equal(row.last_error, `SMTP refused ${user.email}`)
          // Not due again before its backoff.
          if (i < deliveryMaxAttempts) {
            await sweepDeliveries({ now: new Date(at.getTime() + 1000) })
            assert.equal(
              Number((await db.from('notification_mails').where('id', id).first()).attempts),
              i
            )
          }
          at = new Date(at.getTime() + 2 * 60 * 60 * 1000)
        }
      },
      { failFor }
    )
    assert.lengthOf(sent, 0)

    // Given up: listed with the failed jobs, which admins retry.
    const failed = await db
      .from('failed_jobs')
      .where('job', 'kernel.redeliver')
      .where('payload', 'like', `%"id":${id},%`)
      .where('payload', 'like', '%"delivery":"mail"%')
    assert.lengthOf(failed, 1)
    assert.equal(Number(failed[0].attempts), deliveryMaxAttempts)
    assert.include(failed[0].error, `Mail to ${user.email}`)
    assert.include(failed[0].error, `given up after ${deliveryMaxAttempts} attempts`)
    const listed = await client
      .get(`/api/v1/admin/jobs/failed/${failed[0].id}`)
      .bearerToken(await tokenFor(admin))
    listed.assertStatus(200)
    assert.equal(listed.body().data.job, 'kernel.redeliver')
    const page = await client.get('/settings/jobs').loginAs(admin).withInertia()
    const shown = page.inertiaProps.failed.find((j: any) => j.id === Number(failed[0].id))
    assert.equal(
      shown.error.split(':')[0],
      `Mail to ${user.email} (kernel.workflow) given up after ${deliveryMaxAttempts} attempts`
    )

    // The admin's retry dispatches the kernel's redeliver job (known, never disabled)…
    const retry = await client
      .post(`/api/v1/admin/jobs/failed/${failed[0].id}/retry`)
      .bearerToken(await tokenFor(admin))
    retry.assertStatus(200)
    assert.notExists(await db.from('failed_jobs').where('id', failed[0].id).first())
    // …which redelivers it (run here, as the worker would): a fresh count, sent once.
    const retried = await recordingMails(() => redeliver('mail', id))
    assert.isTrue(retried.result)
    assert.lengthOf(retried.sent, 1)
    const row = await db.from('notification_mails').where('id', id).first()
    assert.equal(row.status, 'sent')
    assert.equal(Number(row.attempts), 1)
    assert.isFalse(await redeliver('mail', id))
  }).timeout(60000)

  test('a failing workflow action counts its attempts and is given up after the limit', async ({
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const manager = await memberOf(company.id, 'manager')
    // A message the delivery cannot read: every attempt fails.
    const id = await owedWorkflowDelivery(company.id, [manager.id], { message: '{not json' })
    let at = afterGrace()
    for (let i = 1; i <= deliveryMaxAttempts + 1; i++) {
      await sweepDeliveries({ now: at })
      const row = await db.from('workflow_deliveries').where('id', id).first()
      assert.equal(Number(row.attempts), Math.min(i, deliveryMaxAttempts))
      assert.equal(row.status, i < deliveryMaxAttempts ? 'pending' : 'failed')
      assert.isNotEmpty(row.last_error)
      at = new Date(at.getTime() + 2 * 60 * 60 * 1000)
    }
    assert.lengthOf(await db.from('notifications').where('user_id', manager.id), 0)
    const failed = await db
      .from('failed_jobs')
      .where('job', 'kernel.redeliver')
      .where('payload', 'like', `%"delivery":"workflow","id":${id},%`)
    assert.lengthOf(failed, 1)
    assert.equal(Number(failed[0].attempts), deliveryMaxAttempts)
  })

  test('a mail whose sender stopped mid-way is not sent again on its own, but given up', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')
    await wantsMail(user.id)
    const { sent } = await recordingMails(async () => {
      const owed = await owedMail(company.id, user.id)
      // Claimed by a process that died before confirming.
      const claimedAt = DateTime.utc()
        .minus({ minutes: 20 })
        .toFormat(db.connection().dialect.dateTimeFormat)
      await db
        .from('notification_mails')
        .where('id', owed.id)
        .update({ status: 'sending', attempts: 1, claimed_at: claimedAt })
      const swept = await sweepDeliveries({ now: afterGrace() })
      assert.isAtLeast(swept.interrupted, 1)
      const row = await db.from('notification_mails').where('id', owed.id).first()
      assert.equal(row.status, 'failed')
      assert.include(row.last_error, 'Interrupted while sending')
      assert.exists(
        await db
          .from('failed_jobs')
          .where('job', 'kernel.redeliver')
          .where('payload', 'like', `%"id":${owed.id},%`)
          .first()
      )
    })
    assert.lengthOf(
      sent.filter((m) => m.email === user.email),
      0
    )
  })
})

test.group('Delivery sweep: a transition committed, then the process dies', (group) => {
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
      published_at: dbNow(),
      published_by: user.id,
    })
  })

  test('its notify and email actions are delivered by the sweep, once', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const owner = await memberOf(company.id, 'staff')
    const manager = await memberOf(company.id, 'manager')
    const token = await tokenFor(admin)
    const definition: WorkflowDefinition = structuredClone(LIFECYCLE_WORKFLOW.definition)
    definition.transitions[0].actions = [
      ...(definition.transitions[0].actions ?? []),
      { type: 'notify', owner: true, message: { fr: 'Contact gagné', en: 'Contact won' } },
      { type: 'email', roles: ['manager'], message: { fr: 'Nouveau client', en: 'New client' } },
    ]
    ;(
      await client
        .put(`/api/v1/admin/workflows/${MODEL}/draft`)
        .bearerToken(token)
        .json({ definition })
    ).assertStatus(200)
    ;(
      await client.post(`/api/v1/admin/workflows/${MODEL}/publish`).bearerToken(token)
    ).assertStatus(201)
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Couvertures Lebreton', ownerId: owner.id })
    created.assertStatus(201)
    const contactId = Number(created.body().data.id)

    const access = (await resolveAccess(admin.id, company.id))!
    const { sent } = await recordingMails(async () => {
      await commitThenCrash((trx) =>
        fire(access, MODEL, contactId, definition.transitions[0].key, { client: trx })
      )
      // Committed: the state moved and the deliveries are owed, none delivered yet.
      const owed = await db
        .from('workflow_deliveries')
        .where('company_id', company.id)
        .where('record_id', String(contactId))
        .orderBy('id')
      assert.deepEqual(
        owed.map((d) => [d.channel, d.status]),
        [
          ['notify', 'pending'],
          ['email', 'pending'],
        ]
      )
      const kernelNotes = () =>
        db
          .from('notifications')
          .whereIn('user_id', [owner.id, manager.id])
          .where('type', 'like', 'kernel.%')
      assert.lengthOf(await kernelNotes(), 0)

      await sweepDeliveries({ now: afterGrace() })
      await sweepDeliveries({ now: afterGrace(60_000) })
      const done = await db.from('workflow_deliveries').whereIn(
        'id',
        owed.map((d) => d.id)
      )
      assert.isTrue(done.every((d) => d.status === 'delivered' && Number(d.attempts) === 1))
    })
    const ownerNotes = await db
      .from('notifications')
      .where('user_id', owner.id)
      .where('type', 'like', 'kernel.%')
    assert.deepEqual(
      ownerNotes.map((n) => [n.type, n.record_id]),
      [['kernel.workflow', String(contactId)]]
    )
    const managerNotes = await db
      .from('notifications')
      .where('user_id', manager.id)
      .where('type', 'like', 'kernel.%')
    assert.deepEqual(
      managerNotes.map((n) => n.type),
      ['kernel.workflow_email']
    )
    assert.deepEqual(
      sent.filter((m) => [owner.email, manager.email].includes(m.email)),
      [{ email: manager.email, title: 'Nouveau client' }]
    )
  })
})
