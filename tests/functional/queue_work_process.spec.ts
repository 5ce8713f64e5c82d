import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { redisEnabled } from '#config/redis'
import { queueDriver } from '#config/queue'
import catalog from '#kernel/jobs/catalog'
import { createFixtureModules, PROBE_JOB } from '#tests/helpers/fixture_modules'

const MODULE = 'jobworker'
const reason =
  'REDIS_HOST is not set: the Redis queue and queue:work run in the PostgreSQL + Redis pass'

test.group('queue:work', () => {
  test('a separate queue:work process runs jobs dispatched to Redis, and stops on SIGTERM', async ({
    assert,
  }) => {
    assert.equal(queueDriver, 'redis')
    const fixtures = await createFixtureModules('queue-work', [
      { name: MODULE, jobs: { probe: PROBE_JOB } },
    ])
    await fixtures.manager.enable(MODULE)
    await catalog.add(fixtures.registry, fixtures.manager)
    const worker = spawn(process.execPath, [app.makePath('ace.js'), 'queue:work'], {
      cwd: app.makePath(),
      env: { ...process.env, TEST_JOB_MODULES: fixtures.root },
      stdio: 'ignore',
    })
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      worker.once('exit', (code, signal) => resolve({ code, signal }))
    )
    try {
      // A job that fails every attempt: the worker's process keeps it in failed_jobs,
      // which is what this process can see of its work.
      const { jobId } = await catalog
        .job(`${MODULE}.probe`)!
        .jobClass.dispatch({ label: 'worker', failTimes: 99 })
        .run()
      const started = Date.now()
      let row = null
      while (!row && Date.now() - started < 45000) {
        row = await db.from('failed_jobs').where('job_id', jobId).first()
        if (!row) await new Promise((resolve) => setTimeout(resolve, 200))
      }
      assert.exists(row, 'the job ran in queue:work and was kept as failed')
      assert.equal(Number(row.attempts), 3)
      assert.include(row.error, 'probe failure on attempt 3')
    } finally {
      worker.kill('SIGTERM')
      const timer = setTimeout(() => worker.kill('SIGKILL'), 15000)
      const result = await exited
      clearTimeout(timer)
      catalog.remove(fixtures.registry)
      await fixtures.cleanup()
      assert.notEqual(result.signal, 'SIGKILL', 'queue:work stopped on SIGTERM by itself')
    }
  })
    .skip(!redisEnabled, reason)
    .timeout(90000)
})
