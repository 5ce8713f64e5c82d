import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import catalog from '#kernel/jobs/catalog'
import { startWorker, stopWorker } from '#kernel/jobs/worker'
import { createFixtureModules, PROBE_JOB, probeAttempts } from '#tests/helpers/fixture_modules'

const MODULE = 'jobprobe'
const JOB = `${MODULE}.probe`

async function waitFor(check: () => boolean | Promise<boolean>, ms = 15000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not reached within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function probe() {
  const job = catalog.job(JOB)
  if (!job) throw new Error(`${JOB} is not registered`)
  return job.jobClass
}

test.group('Jobs: dispatch, retries and failures', (group) => {
  group.setup(async () => {
    const fixtures = await createFixtureModules('jobs', [
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

  test('a module job is registered under <module>.<key> and runs in the worker', async ({
    assert,
  }) => {
    const label = `ok-${Date.now()}`
    const { jobId } = await probe().dispatch({ label }).run()
    await waitFor(() => probeAttempts(label).length === 1)
    assert.equal(probeAttempts(label)[0].attempt, 1)
    assert.isNull(await db.from('failed_jobs').where('job_id', jobId).first())
  })

  test('a failing attempt is retried after its backoff, and succeeds', async ({ assert }) => {
    const label = `flaky-${Date.now()}`
    const { jobId } = await probe().dispatch({ label, failTimes: 1 }).run()
    await waitFor(() => probeAttempts(label).length === 2)
    const [first, second] = probeAttempts(label)
    assert.deepEqual([first.attempt, second.attempt], [1, 2])
    assert.isAtLeast(second.at - first.at, 290, 'the retry waited for its 300 ms backoff')
    // Give the worker a moment to settle the job: it must not be kept as failed.
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.isNull(await db.from('failed_jobs').where('job_id', jobId).first())
  })

  test('a job out of retries is kept in failed_jobs with its error, attempts and payload', async ({
    assert,
  }) => {
    const label = `doomed-${Date.now()}`
    const { jobId } = await probe().dispatch({ label, failTimes: 99 }).run()
    await waitFor(async () => Boolean(await db.from('failed_jobs').where('job_id', jobId).first()))
    const attempts = probeAttempts(label)
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [1, 2, 3],
      'one attempt and its two retries'
    )
    assert.isAtLeast(attempts[1].at - attempts[0].at, 290)
    assert.isAtLeast(attempts[2].at - attempts[1].at, 290)
    const row = await db.from('failed_jobs').where('job_id', jobId).firstOrFail()
    assert.equal(row.job, JOB)
    assert.equal(row.module, MODULE)
    assert.equal(row.queue, 'default')
    assert.equal(Number(row.attempts), 3)
    assert.include(row.error, 'probe failure on attempt 3')
    assert.deepEqual(JSON.parse(row.payload), { label, failTimes: 99 })
  })
})

test.group('Jobs: the module gate', (group) => {
  let fixtures: Awaited<ReturnType<typeof createFixtureModules>>
  group.setup(async () => {
    fixtures = await createFixtureModules('jobs-gate', [
      { name: 'jobgate', jobs: { probe: PROBE_JOB } },
    ])
    await fixtures.manager.enable('jobgate')
    await catalog.add(fixtures.registry, fixtures.manager)
    await startWorker()
    return async () => {
      await stopWorker()
      catalog.remove(fixtures.registry)
      await fixtures.cleanup()
    }
  })

  test('a disabled module’s jobs do not run, and run again once it is re-enabled', async ({
    assert,
  }) => {
    const jobClass = catalog.job('jobgate.probe')!.jobClass
    await fixtures.manager.disable('jobgate')
    const silent = `gated-${Date.now()}`
    const { jobId } = await jobClass.dispatch({ label: silent }).run()
    // The worker takes it off the queue (it is not left pending) without running it.
    await waitFor(async () => !(await queued(jobId)))
    assert.lengthOf(probeAttempts(silent), 0)
    assert.isNull(await db.from('failed_jobs').where('job_id', jobId).first())

    await fixtures.manager.enable('jobgate')
    const heard = `heard-${Date.now()}`
    await jobClass.dispatch({ label: heard }).run()
    await waitFor(() => probeAttempts(heard).length === 1)
  })
})

/** Whether the queue still holds the job (pending, delayed or active). */
async function queued(jobId: string) {
  const { default: queue } = await import('@adonisjs/queue/services/main')
  const job = await queue.use().getJob(jobId, 'default')
  return Boolean(job && ['pending', 'delayed', 'active'].includes(job.status))
}
