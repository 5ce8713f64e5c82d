import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { isoFromDb } from '#kernel/db/timestamp'

/** What a Lucid dateTime column followed by toISO() gives for a raw value. */
function lucidIso(value: unknown) {
  if (!value) return null
  if (typeof value === 'string') return DateTime.fromSQL(value).toISO()
  return DateTime.fromJSDate(value as Date).toISO()
}

/** Runs `body` with the process in time zone `zone`. */
function inZone(zone: string, body: () => void) {
  const previous = process.env.TZ
  process.env.TZ = zone
  try {
    body()
  } finally {
    if (previous === undefined) delete process.env.TZ
    else process.env.TZ = previous
  }
}

const SAMPLES = [
  '2026-12-06 21:50:00',
  '2026-03-29 02:30:00', // does not exist in Paris (spring forward)
  '2026-10-25 02:30:00', // exists twice in Paris (fall back)
  '2024-02-29 23:59:59',
  '1999-12-31 23:59:59.5',
  '2026-06-01 12:00:00.123',
  '0999-01-01 00:00:00',
  '2026-06-01T12:00:00',
  '2026-06-01',
  'not a date',
]

test.group('Timestamps read with the query builder', () => {
  test('isoFromDb gives what a Lucid dateTime column gives, in any zone', ({ assert }) => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/St_Johns', 'Asia/Kolkata']) {
      inZone(zone, () => {
        const random = Array.from({ length: 500 }, (_, i) => {
          const ms = Date.UTC(1970 + (i % 80), i % 12, 1 + (i % 28), i % 24, (i * 7) % 60, i % 60)
          return new Date(ms + (i % 1000))
        })
        const texts = random.map((d) => d.toISOString().slice(0, 19).replace('T', ' '))
        for (const value of [...SAMPLES, ...texts, ...random, null, undefined, '']) {
          assert.strictEqual(isoFromDb(value), lucidIso(value), `${zone}: ${String(value)}`)
        }
      })
    }
  })
})
