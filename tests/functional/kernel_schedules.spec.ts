import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import catalog from '#kernel/jobs/catalog'
import { pruneScheduleRuns, Scheduler } from '#kernel/jobs/scheduler'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'

/**
 * The kernel's own schedules (deliveries, imports, runs): declared like a
 * module's, always enabled, run by the scheduler, shown on the jobs page.
 */

function dbTime(date: Date) {
  return DateTime.fromJSDate(date).toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

test.group('Kernel schedules', () => {
  test('the kernel declares its schedules, which the scheduler runs like any other', async ({
    assert,
    client,
  }) => {
    const names = catalog.schedules().map((s) => s.name)
    assert.includeMembers(names, ['kernel.deliveries', 'kernel.imports', 'kernel.runs'])
    const { user: admin } = await companyWithUser('admin')
    const listed = await client
      .get('/api/v1/admin/jobs/schedules')
      .bearerToken(await tokenFor(admin))
    listed.assertStatus(200)
    const deliveries = listed.body().data.find((s: any) => s.name === 'kernel.deliveries')
    assert.equal(deliveries.module, 'kernel')
    assert.equal(deliveries.job, 'kernel.sweep_deliveries')
    assert.equal(deliveries.cron, '* * * * *')
    assert.isTrue(deliveries.enabled)

    // A tick of its own, far ahead (never a real one).
    const tick = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000)
    for (const name of ['kernel.deliveries', 'kernel.imports', 'kernel.runs']) {
      const schedule = catalog.schedules().find((s) => s.name === name)!
      assert.isTrue(await new Scheduler().run(schedule, tick))
      const run = await db
        .from('schedule_runs')
        .where('schedule', name)
        .where('tick_at', dbTime(tick))
        .first()
      assert.equal(run.outcome, 'succeeded', `${name}: ${run.error}`)
    }

    // The jobs page lists one schedule's runs on demand.
    const page = await client
      .get('/settings/jobs?schedule=kernel.deliveries')
      .loginAs(admin)
      .withInertia()
    page.assertStatus(200)
    assert.equal(page.inertiaProps.runsSchedule, 'kernel.deliveries')
    assert.isNotEmpty(page.inertiaProps.runs)
    assert.isTrue(page.inertiaProps.runs.every((r: any) => r.schedule === 'kernel.deliveries'))
  })

  test('scheduled runs older than the retention period are forgotten, running ones kept', async ({
    assert,
  }) => {
    const schedule = `kernel.prune-probe-${Date.now()}`
    const day = 24 * 3600 * 1000
    const insert = (ageDays: number, outcome: string) =>
      db.table('schedule_runs').insert({
        schedule,
        tick_at: dbTime(new Date(Date.now() - ageDays * day)),
        instance: 'test:1',
        started_at: dbNow(),
        outcome,
      })
    await insert(45, 'succeeded')
    await insert(31, 'failed')
    await insert(40, 'running')
    await insert(29, 'succeeded')
    await insert(1, 'succeeded')

    assert.isAtLeast(await pruneScheduleRuns(), 2)
    const left = await db.from('schedule_runs').where('schedule', schedule).orderBy('tick_at')
    assert.deepEqual(
      left.map((r) => r.outcome),
      ['running', 'succeeded', 'succeeded']
    )
  })
})
