import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import catalog from '#kernel/jobs/catalog'
import { startWorker, stopWorker } from '#kernel/jobs/worker'
import { Scheduler } from '#kernel/jobs/scheduler'
import { recordGivenUpDelivery } from '#kernel/jobs/failed_jobs'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { createFixtureModules, PROBE_JOB, probeAttempts } from '#tests/helpers/fixture_modules'

const MODULE = 'jobbrowser'
const JOB = `${MODULE}.probe`

async function waitFor(check: () => boolean | Promise<boolean>, ms = 15000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not reached within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test.group('Failed jobs page in a browser', (group) => {
  group.setup(async () => {
    const fixtures = await createFixtureModules('jobs-browser', [
      { name: MODULE, jobs: { probe: PROBE_JOB } },
    ])
    await fixtures.manager.enable(MODULE)
    await catalog.add(fixtures.registry, fixtures.manager)
    await startWorker()
    return async () => {
      await stopWorker()
      catalog.remove(fixtures.registry)
      await fixtures.cleanup()
    }
  })

  test('an admin sees a failed job with its error and data, retries one and discards another', async ({
    browserContext,
    assert,
  }) => {
    // Two jobs that really fail: every attempt throws until retried from the page.
    const label = `browser-${Date.now()}`
    const jobClass = catalog.job(JOB)!.jobClass
    const retried = await jobClass.dispatch({ label, failTimes: 3, token: 'secret-value' }).run()
    const discarded = await jobClass.dispatch({ label: `${label}-x`, failTimes: 99 }).run()
    const rowOf = (jobId: string) => db.from('failed_jobs').where('job_id', jobId).first()
    await waitFor(async () =>
      Boolean((await rowOf(retried.jobId)) && (await rowOf(discarded.jobId)))
    )
    const retriedRow = await rowOf(retried.jobId)
    const discardedRow = await rowOf(discarded.jobId)

    const { user } = await companyWithUser('admin')
    const page = await browserContext.newPage()
    await signIn(page, user.email)
    await page.goto('/settings/jobs')
    await page.assertVisible(page.getByRole('heading', { name: 'Tâches en échec' }))
    const row = page.locator(`tr[data-failed-job="${retriedRow.id}"]`)
    await page.assertTextContains(row, JOB)
    await page.assertTextContains(row.locator('[data-error]'), 'probe failure on attempt 3')
    await row.getByText('Détails').click()
    await page.assertTextContains(row.locator('[data-payload]'), label)
    await page.assertTextContains(row.locator('[data-payload]'), '••••')
    assert.notInclude(await page.content(), 'secret-value')

    // The retry makes a fourth attempt, which succeeds (failTimes: 3).
    await row.getByRole('button', { name: 'Relancer' }).click()
    await page.assertTextContains(page.getByRole('status'), 'remise en file')
    await page.assertElementsCount(page.locator(`tr[data-failed-job="${retriedRow.id}"]`), 0)
    await waitFor(() => probeAttempts(label).length === 4)

    page.once('dialog', (dialog) => dialog.accept())
    await page
      .locator(`tr[data-failed-job="${discardedRow.id}"]`)
      .getByRole('button', { name: 'Abandonner' })
      .click()
    await page.assertElementsCount(page.locator(`tr[data-failed-job="${discardedRow.id}"]`), 0)
    assert.isNull(await rowOf(discarded.jobId))
  }).timeout(60000)

  test('a given-up delivery is retried from the page and sent; runs are filtered by schedule', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    // A notification mail the kernel gave up on, as the delivery sweep leaves it.
    const [inserted] = await db
      .table('notification_mails')
      .insert({
        company_id: company.id,
        user_id: user.id,
        type: 'kernel.workflow',
        email: user.email,
        locale: 'fr',
        title: JSON.stringify({ fr: 'Chantier livré', en: 'Job site handed over' }),
        body: null,
        link: '/notifications',
        status: 'failed',
        attempts: 8,
        last_error: 'SMTP down',
        created_at: dbNow(),
      })
      .returning('id')
    const mailId = Number(typeof inserted === 'object' ? inserted.id : inserted)
    await recordGivenUpDelivery('notification_mails', mailId, 8, new Error('SMTP down'))
    const failed = await db
      .from('failed_jobs')
      .where('job', 'kernel.redeliver')
      .where('payload', 'like', `%"id":${mailId},%`)
      .first()
    // A run of the kernel's delivery sweep, on a tick of its own.
    const schedule = catalog.schedules().find((s) => s.name === 'kernel.deliveries')!
    await new Scheduler().run(
      schedule,
      new Date(Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000)
    )

    const page = await browserContext.newPage()
    await signIn(page, user.email)
    await page.goto('/settings/jobs')
    const row = page.locator(`tr[data-failed-job="${failed.id}"]`)
    await page.assertTextContains(row.locator('[data-redeliver]'), 'Un envoi abandonné')
    await page.assertTextContains(row.locator('[data-error]'), `Mail to ${user.email}`)
    await row.getByRole('button', { name: 'Relancer' }).click()
    await page.assertTextContains(page.getByRole('status'), 'remise en file')
    await page.assertElementsCount(page.locator(`tr[data-failed-job="${failed.id}"]`), 0)
    // The worker runs kernel.redeliver: the mail goes, once.
    await waitFor(
      async () =>
        (await db.from('notification_mails').where('id', mailId).first()).status === 'sent'
    )
    const sent = await db
      .from('dev_mails')
      .where('to', user.email)
      .where('subject', 'Chantier livré')
    assert.lengthOf(sent, 1)

    await page.locator('[data-testid="runs-schedule"]').selectOption('kernel.deliveries')
    await page.waitForURL(/schedule=kernel\.deliveries/)
    const schedules = await page
      .locator('[data-testid="schedule-runs"] tr[data-run] td:first-child')
      .allTextContents()
    assert.isNotEmpty(schedules)
    assert.isTrue(schedules.every((name) => name.trim() === 'kernel.deliveries'))
  }).timeout(60000)
})
