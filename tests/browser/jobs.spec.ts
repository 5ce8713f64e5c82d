import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import catalog from '#kernel/jobs/catalog'
import { startWorker, stopWorker } from '#kernel/jobs/worker'
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
})
