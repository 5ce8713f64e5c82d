import { test } from '@japa/runner'
import { validateManifest } from '#kernel/modules/manifest'
import { ModuleError } from '#kernel/modules/errors'
import { latestTick, nextTick } from '#kernel/jobs/cron'

const job = () => Promise.resolve({ default: class {} as any })

function manifest(extra: Record<string, unknown>) {
  return {
    name: 'fleet',
    version: '1.0.0',
    label: { fr: 'Flotte', en: 'Fleet' },
    description: { fr: 'Véhicules', en: 'Vehicles' },
    ...extra,
  }
}

function refusal(assert: any, raw: unknown): string {
  try {
    validateManifest(raw, 'fleet')
  } catch (error) {
    assert.instanceOf(error, ModuleError)
    assert.notInclude((error as Error).message, '\n')
    return (error as Error).message
  }
  assert.fail('expected a ModuleError')
  return ''
}

test.group('Manifest jobs and schedules', () => {
  test('accepts jobs and schedules with five- and six-field expressions', ({ assert }) => {
    const valid = validateManifest(
      manifest({
        jobs: { reminders: job, purge_logs: job },
        schedules: [
          { key: 'nightly', cron: '0 3 * * *', job: 'purge_logs', timezone: 'Europe/Paris' },
          { key: 'every-ten-seconds', cron: '*/10 * * * * *', job: 'reminders', payload: { a: 1 } },
        ],
      }),
      'fleet'
    )
    assert.lengthOf(valid.schedules!, 2)
  })

  test('refuses bad jobs and schedules, naming the field', ({ assert }) => {
    assert.include(
      refusal(assert, manifest({ jobs: { Bad: job } })),
      '"jobs.Bad" must be named with lower case letters'
    )
    assert.include(
      refusal(assert, manifest({ jobs: { reminders: './jobs/reminders.js' } })),
      '"jobs.reminders" must be a function'
    )
    assert.include(
      refusal(
        assert,
        manifest({ jobs: { a: job }, schedules: [{ key: 's', cron: '* * * * *', job: 'b' }] })
      ),
      '"schedules[0].job" names "b", which the manifest does not declare in "jobs"'
    )
    assert.include(
      refusal(
        assert,
        manifest({ jobs: { a: job }, schedules: [{ key: 's', cron: '61 * * * *', job: 'a' }] })
      ),
      '"schedules[0].cron" "61 * * * *" is refused'
    )
    assert.include(
      refusal(
        assert,
        manifest({ jobs: { a: job }, schedules: [{ key: 's', cron: '* * *', job: 'a' }] })
      ),
      'five fields'
    )
    assert.include(
      refusal(
        assert,
        manifest({
          jobs: { a: job },
          schedules: [
            { key: 's', cron: '* * * * *', job: 'a' },
            { key: 's', cron: '0 * * * *', job: 'a' },
          ],
        })
      ),
      '"schedules[1].key" "s" is declared twice'
    )
    assert.include(
      refusal(
        assert,
        manifest({
          jobs: { a: job },
          schedules: [{ key: 's', cron: '* * * * *', job: 'a', timezone: 'Mars/Olympus' }],
        })
      ),
      '"schedules[0].timezone" must be a time zone'
    )
  })

  test('a tick is the latest matching second at or before now, in the schedule’s time zone', ({
    assert,
  }) => {
    const now = new Date('2026-03-10T10:07:42.500Z')
    assert.equal(
      latestTick('*/5 * * * *', undefined, now)!.toISOString(),
      '2026-03-10T10:05:00.000Z'
    )
    assert.equal(
      latestTick('* * * * * *', undefined, now)!.toISOString(),
      '2026-03-10T10:07:42.000Z'
    )
    // 07:00 in Paris is 06:00 UTC in winter.
    assert.equal(
      latestTick('0 7 * * *', 'Europe/Paris', now)!.toISOString(),
      '2026-03-10T06:00:00.000Z'
    )
    assert.equal(
      nextTick('0 7 * * *', 'Europe/Paris', now)!.toISOString(),
      '2026-03-11T06:00:00.000Z'
    )
  })
})
