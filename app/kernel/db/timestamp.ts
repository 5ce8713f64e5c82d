import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * The current time, written the way Lucid models write their timestamps on
 * this database, for rows inserted with the query builder. (A JavaScript Date
 * would land in SQLite as a number, which models cannot read back.)
 */
export function dbNow(client: QueryClientContract = db.connection()) {
  return DateTime.utc().toFormat(client.dialect.dateTimeFormat)
}

const HOUR = 3_600_000
const SQL_DATE_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?$/

function pad(value: number, width = 2) {
  return String(value).padStart(width, '0')
}

/** `date` as Luxon's toISO() writes it in the process's time zone. */
function localIso(date: Date) {
  const offset = -date.getTimezoneOffset()
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`
  )
}

/**
 * A timestamp column read with the query builder, in ISO: exactly what a
 * Lucid `@column.dateTime()` would give with `.toISO()` (SQL text read in the
 * process's zone on SQLite, a Date on PostgreSQL), without building a Luxon
 * DateTime — lists read plain rows, and parsing every date of a page through
 * Luxon was a twelfth of an API list's time. Anything unusual (a local time
 * near a change of offset, a year before 1000, other text) goes through
 * Luxon itself.
 */
export function isoFromDb(value: unknown): string | null {
  if (!value) return null
  if (value instanceof Date) {
    const year = value.getFullYear()
    if (year < 1000 || year > 9999) return DateTime.fromJSDate(value).toISO()
    return localIso(value)
  }
  if (typeof value !== 'string') return null
  const parts = SQL_DATE_TIME.exec(value)
  if (parts) {
    const [year, month, day, hours, minutes, seconds] = parts.slice(1, 7).map(Number)
    const ms = parts[7] ? Number(parts[7].padEnd(3, '0')) : 0
    const date = new Date(year, month - 1, day, hours, minutes, seconds, ms)
    const time = date.getTime()
    if (
      year >= 1000 &&
      // Not within hours of a change of offset (a local time there may be missing or twice)
      new Date(time - 6 * HOUR).getTimezoneOffset() === date.getTimezoneOffset() &&
      new Date(time + 6 * HOUR).getTimezoneOffset() === date.getTimezoneOffset() &&
      date.getFullYear() === year &&
      date.getMonth() === month - 1 &&
      date.getDate() === day &&
      date.getHours() === hours &&
      date.getMinutes() === minutes &&
      date.getSeconds() === seconds
    ) {
      return localIso(date)
    }
  }
  return DateTime.fromSQL(value).toISO()
}
