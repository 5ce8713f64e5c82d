import { DateTime } from 'luxon'

/**
 * Numbering formats: fixed text and the tokens `{YYYY}`, `{YY}`, `{MM}` and
 * one `{seq:N}`. Pure functions, read by the manifest check at boot as well
 * as by the numbering service.
 */

export const SEQUENCE_RESETS = ['never', 'yearly', 'monthly'] as const
export type SequenceReset = (typeof SEQUENCE_RESETS)[number]

/** The longest format an admin may give, and the widest number. */
export const MAX_FORMAT_LENGTH = 60
export const MAX_PADDING = 12

/** Why a format is refused; `token` names the offending token. */
export type FormatProblem =
  | { problem: 'seq_missing' }
  | { problem: 'seq_twice' }
  | { problem: 'unknown_token'; token: string }
  | { problem: 'padding'; token: string }
  | { problem: 'too_long' }
  | { problem: 'year_missing' }
  | { problem: 'month_missing' }

const TOKEN = /\{([^{}]*)\}/g

/** The format a declaration without one stands for: its prefix, then the number. */
export function legacyFormat(prefix: string, padding: number) {
  return `${prefix}{seq:${padding}}`
}

/** The format a sequences row uses (rows from before formats have a prefix and a padding). */
export function formatOf(row: { format?: string | null; prefix: string; padding: number }) {
  return row.format ?? legacyFormat(row.prefix, Number(row.padding))
}

/**
 * Checks a format: exactly one `{seq}` or `{seq:N}` (N from 1 to 12), no
 * other token than `{YYYY}`, `{YY}` and `{MM}`; with a yearly reset the year
 * must show, with a monthly one the year and the month — otherwise the same
 * text would come back each period. Returns the padding and the fixed text
 * before the number, or the problem.
 */
export function parseFormat(
  format: string,
  reset: SequenceReset = 'never'
): { padding: number; prefix: string } | FormatProblem {
  if (format.length > MAX_FORMAT_LENGTH) return { problem: 'too_long' }
  let padding: number | null = null
  let prefix = ''
  let year = false
  let month = false
  for (const match of format.matchAll(TOKEN)) {
    const token = match[1]
    if (token === 'YYYY' || token === 'YY') year = true
    else if (token === 'MM') month = true
    else if (token === 'seq' || token.startsWith('seq:')) {
      if (padding !== null) return { problem: 'seq_twice' }
      const digits = token === 'seq' ? '1' : token.slice(4)
      const value = Number(digits)
      if (!/^\d{1,2}$/.test(digits) || value < 1 || value > MAX_PADDING) {
        return { problem: 'padding', token: match[0] }
      }
      padding = value
      prefix = format.slice(0, match.index)
    } else return { problem: 'unknown_token', token: match[0] }
  }
  if (padding === null) return { problem: 'seq_missing' }
  if ((reset === 'yearly' || reset === 'monthly') && !year) return { problem: 'year_missing' }
  if (reset === 'monthly' && !month) return { problem: 'month_missing' }
  return { padding, prefix }
}

/** The format with its number padded to `padding` digits. */
export function withPadding(format: string, padding: number) {
  return format.replace(/\{seq(?::\d*)?\}/, `{seq:${padding}}`)
}

/** The key of the period `at` falls in: '' (never), `2026` (yearly), `2026-11` (monthly). */
export function periodKey(reset: string, at: DateTime) {
  if (reset === 'yearly') return at.toFormat('yyyy')
  if (reset === 'monthly') return at.toFormat('yyyy-MM')
  return ''
}

/** Renders a number with a format; `at` is the date in the company's time zone. */
export function renderNumber(format: string, value: number, at: DateTime) {
  return format.replace(TOKEN, (whole, token: string) => {
    if (token === 'YYYY') return at.toFormat('yyyy')
    if (token === 'YY') return at.toFormat('yy')
    if (token === 'MM') return at.toFormat('MM')
    if (token === 'seq') return String(value)
    if (token.startsWith('seq:')) return String(value).padStart(Number(token.slice(4)), '0')
    return whole
  })
}

/** Renders a number the way series without a format did: `{YYYY}` in the prefix is the year. */
export function formatNumber(prefix: string, padding: number, value: number, year: number) {
  return renderNumber(legacyFormat(prefix, padding), value, DateTime.utc(year, 1, 1))
}

/** `at` in the company's time zone (UTC when the zone is unknown). */
export function inZone(at: DateTime, timezone: string | null | undefined) {
  const local = at.setZone(timezone || 'UTC')
  return local.isValid ? local : at.toUTC()
}
