import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import env from '#start/env'
import { redisEnabled } from '#config/redis'
import { createFixtureModules, PROBE_JOB } from '#tests/helpers/fixture_modules'
import { freePort } from '#tests/helpers/isolated_site'

const MODULE = 'twoproc'
const SCHEDULE = `${MODULE}.every-second`
const reason =
  'needs PostgreSQL and Redis shared by two app processes: runs in the PostgreSQL + Redis pass (DB_CONNECTION=pg, REDIS_HOST set)'

/** An app process on the test database, with the fixture modules' jobs and schedules. */
async function appProcess(fixtureRoot: string) {
  const port = await freePort()
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', '@poppinss/ts-exec', app.makePath('bin/server.ts')],
    {
      cwd: app.makePath(),
      env: { ...process.env, PORT: String(port), TEST_JOB_MODULES: fixtureRoot, SCHEDULER: 'on' },
      stdio: 'ignore',
    }
  )
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  let live = false
  while (!live && Date.now() - started < 60000) {
    try {
      live = (await fetch(`${url}/health/live`)).ok
    } catch {}
    if (!live) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    pid: child.pid!,
    live,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000)
      await exited
      clearTimeout(timer)
    },
  }
}

test.group('Scheduler across two app processes', () => {
  test('each tick of a schedule runs exactly once with two processes running it', async ({
    assert,
  }) => {
    const fixtures = await createFixtureModules('two-processes', [
      {
        name: MODULE,
        jobs: { probe: PROBE_JOB },
        schedules: [
          { key: 'every-second', cron: '* * * * * *', job: 'probe', payload: { label: 'two' } },
        ],
      },
    ])
    await fixtures.manager.enable(MODULE)
    const processes = [] as Awaited<ReturnType<typeof appProcess>>[]
    try {
      processes.push(...(await Promise.all([appProcess(fixtures.root), appProcess(fixtures.root)])))
      assert.isTrue(processes[0].live && processes[1].live, 'both app processes answer')
      // Both are up: from now on both schedulers compete for every tick.
      const from = Date.now() + 1000
      await new Promise((resolve) => setTimeout(resolve, 7000))
      const to = Date.now() - 1500

      const rows = await db.from('schedule_runs').where('schedule', SCHEDULE)
      const runs = rows
        .map((row) => ({
          tick: DateTime.fromJSDate(row.tick_at as Date).toMillis(),
          instance: row.instance as string,
          outcome: row.outcome as string,
        }))
        .filter((run) => run.tick >= from && run.tick <= to)
        .sort((a, b) => a.tick - b.tick)

      // Every second of the window ran, once: no tick missed, none twice.
      const expected = Math.floor(to / 1000) - Math.ceil(from / 1000) + 1
      assert.isAtLeast(expected, 4)
      assert.lengthOf(runs, expected, `ticks ${runs.map((r) => r.tick).join(', ')}`)
      for (let i = 1; i < runs.length; i++) assert.equal(runs[i].tick - runs[i - 1].tick, 1000)
      assert.isTrue(runs.every((run) => run.outcome === 'succeeded'))
      // Run by the two app processes, not by this one.
      const pids = new Set(runs.map((run) => Number(run.instance.split(':').pop())))
      assert.isTrue([...pids].every((pid) => processes.some((p) => p.pid === pid)))
    } finally {
      await Promise.all(processes.map((p) => p.stop()))
      await db.from('schedule_runs').where('schedule', SCHEDULE).delete()
      await fixtures.cleanup()
    }
  })
    .skip(!redisEnabled || env.get('DB_CONNECTION') !== 'pg', reason)
    .timeout(120000)
})
