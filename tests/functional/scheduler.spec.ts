import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import catalog from '#kernel/jobs/catalog'
import { Scheduler } from '#kernel/jobs/scheduler'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { createFixtureModules, PROBE_JOB, probeAttempts } from '#tests/helpers/fixture_modules'

const MODULE = 'jobsched'

function iso(value: string | Date) {
  return (
    value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromSQL(value, { zone: 'utc' })
  )
    .toUTC()
    .toISO()
}

/** The runs of a schedule whose tick is between `since` and now. */
async function runsOf(schedule: string, since: Date) {
  const until = Date.now()
  const rows = await db
    .from('schedule_runs')
    .where('schedule', `${MODULE}.${schedule}`)
    .orderBy('tick_at', 'asc')
  return rows
    .map((row) => ({ ...row, tick: iso(row.tick_at)! }))
    .filter((row) => Date.parse(row.tick) >= since.getTime() && Date.parse(row.tick) <= until)
}

test.group('Scheduler', (group) => {
  let fixtures: Awaited<ReturnType<typeof createFixtureModules>>
  group.setup(async () => {
    fixtures = await createFixtureModules('scheduler', [
      {
        name: MODULE,
        jobs: { probe: PROBE_JOB },
        schedules: [
          { key: 'every-second', cron: '* * * * * *', job: 'probe', payload: { label: 'tick' } },
          {
            key: 'always-failing',
            cron: '* * * * * *',
            job: 'probe',
            payload: { label: 'tick-fail', failTimes: 99 },
          },
        ],
      },
    ])
    await fixtures.manager.enable(MODULE)
    await catalog.add(fixtures.registry, fixtures.manager)
    return async () => {
      catalog.remove(fixtures.registry)
      await fixtures.cleanup()
    }
  })

  test('a seconds schedule runs every tick, each logged once with its outcome', async ({
    assert,
  }) => {
    const since = new Date()
    const scheduler = new Scheduler()
    scheduler.start()
    await new Promise((resolve) => setTimeout(resolve, 3600))
    await scheduler.stop()

    const runs = await runsOf('every-second', since)
    assert.isAtLeast(runs.length, 2)
    const ticks = runs.map((run) => Date.parse(run.tick))
    for (let i = 1; i < ticks.length; i++) assert.equal(ticks[i] - ticks[i - 1], 1000)
    for (const run of runs) {
      assert.equal(run.outcome, 'succeeded')
      assert.equal(run.instance, scheduler.instance)
      assert.isNull(run.error)
      assert.exists(run.finished_at)
    }
    assert.isAtLeast(probeAttempts('tick').length, runs.length)

    // A failing job: its runs say so, and it is kept with the failed jobs.
    const failed = await runsOf('always-failing', since)
    assert.isAtLeast(failed.length, 1)
    assert.equal(failed[0].outcome, 'failed')
    assert.include(failed[0].error, 'probe failure on attempt 3')
    const kept = await db
      .from('failed_jobs')
      .where('job', `${MODULE}.probe`)
      .where('payload', 'like', '%tick-fail%')
      .first()
    assert.exists(kept)
  }).timeout(30000)

  test('a tick is claimed once: the lock, then the unique (schedule, tick) row', async ({
    assert,
  }) => {
    const schedule = catalog.schedules().find((s) => s.name === `${MODULE}.every-second`)!
    // A tick of its own (far ahead, never a real one), fresh on every run: a claimed
    // tick stays locked in Redis for a while.
    const tick = new Date(Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 1e7) * 2000)
    const [first, second] = await Promise.all([
      new Scheduler().run(schedule, tick),
      new Scheduler().run(schedule, tick),
    ])
    assert.deepEqual([first, second].sort(), [false, true])

    // Where the lock store is per process, the row refuses the second claim.
    const other = new Date(tick.getTime() + 1000)
    await db.table('schedule_runs').insert({
      schedule: schedule.name,
      tick_at: DateTime.fromJSDate(other).toUTC().toFormat(db.connection().dialect.dateTimeFormat),
      instance: 'elsewhere:1',
      started_at: dbNow(),
      outcome: 'running',
    })
    assert.isFalse(await new Scheduler().run(schedule, other))
    const rows = await db
      .from('schedule_runs')
      .where('schedule', schedule.name)
      .whereIn(
        'tick_at',
        [tick, other].map((t) =>
          DateTime.fromJSDate(t).toUTC().toFormat(db.connection().dialect.dateTimeFormat)
        )
      )
    assert.lengthOf(rows, 2)
    assert.lengthOf(
      rows.filter((r) => r.instance === 'elsewhere:1'),
      1
    )
  })

  test('a disabled module’s schedules do not run', async ({ assert }) => {
    await fixtures.manager.disable(MODULE)
    try {
      const since = new Date()
      const scheduler = new Scheduler()
      scheduler.start()
      await new Promise((resolve) => setTimeout(resolve, 2500))
      await scheduler.stop()
      assert.lengthOf(await runsOf('every-second', since), 0)
    } finally {
      await fixtures.manager.enable(MODULE)
    }
  }).timeout(30000)

  test('the admin page and API show the schedules and their runs', async ({ client, assert }) => {
    const { user } = await companyWithUser('admin')
    const page = await client.get('/settings/jobs').loginAs(user).withInertia()
    page.assertStatus(200)
    const schedule = page.inertiaProps.schedules.find(
      (s: any) => s.name === `${MODULE}.every-second`
    )
    assert.deepInclude(schedule, { job: `${MODULE}.probe`, cron: '* * * * * *', enabled: true })
    assert.isString(schedule.nextTickAt)
    assert.exists(page.inertiaProps.runs.find((r: any) => r.schedule === `${MODULE}.every-second`))

    const token = await tokenFor(user)
    const runs = await client
      .get('/api/v1/admin/jobs/runs')
      .qs({ schedule: `${MODULE}.always-failing`, limit: 1 })
      .bearerToken(token)
    runs.assertStatus(200)
    assert.lengthOf(runs.body().data, 1)
    assert.equal(runs.body().data[0].outcome, 'failed')
    assert.isString(runs.body().meta.nextCursor ?? '')
    const schedules = await client.get('/api/v1/admin/jobs/schedules').bearerToken(token)
    assert.exists(schedules.body().data.find((s: any) => s.name === `${MODULE}.always-failing`))
  })
})
