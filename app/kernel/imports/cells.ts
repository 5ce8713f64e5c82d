import { DateTime } from 'luxon'
import type { ImportField } from './types.js'
import type { Cell } from './parse.js'

/** A cell turned into a value, or the reason it cannot be (`imports.errors.<rule>`). */
export type Typed =
  { value: unknown } | { empty: true } | { rule: string; data?: Record<string, unknown> }

/** Lower case without accents or surrounding spaces: for comparing spellings. */
export function fold(text: string) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

const TRUE = new Set(['oui', 'o', 'yes', 'y', 'vrai', 'true', '1', 'x'])
const FALSE = new Set(['non', 'n', 'no', 'faux', 'false', '0'])

/**
 * A decimal number as an exact scaled integer: `1 234,5` with scale 2 →
 * 123450. Spaces (also non-breaking) group thousands; `,` or `.` is the
 * decimal point (a number with both takes the last as the point). More
 * decimals than `scale` are refused rather than rounded.
 */
export function scaledInteger(text: string, scale: number): number | 'invalid' | 'precision' {
  let t = text.replace(/[\s\u00a0\u202f€]/g, '')
  const comma = t.lastIndexOf(',')
  const dot = t.lastIndexOf('.')
  if (comma !== -1 && dot !== -1) {
    const point = Math.max(comma, dot)
    t = t.slice(0, point).replace(/[.,]/g, '') + '.' + t.slice(point + 1)
  } else if (comma !== -1) {
    t = t.replace(',', '.')
  }
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(t)
  if (!match) return 'invalid'
  const decimals = match[3] ?? ''
  if (decimals.replace(/0+$/, '').length > scale) return 'precision'
  const digits = match[2] + decimals.padEnd(scale, '0').slice(0, scale)
  const value = Number(digits) * (match[1] === '-' ? -1 : 1)
  return Number.isSafeInteger(value) ? value : 'invalid'
}

function numberCell(cell: Cell, scale: number) {
  if (typeof cell === 'number') {
    return scaledInteger(cell.toFixed(Math.min(scale + 4, 20)), scale)
  }
  return scaledInteger(String(cell), scale)
}

function bounds(value: number, field: ImportField, factor = 1): Typed {
  if (field.min !== undefined && value < field.min * factor) {
    return { rule: 'min', data: { min: field.min } }
  }
  if (field.max !== undefined && value > field.max * factor) {
    return { rule: 'max', data: { max: field.max } }
  }
  return { value }
}

function enumValue(field: ImportField, text: string): Typed {
  const options = field.options ?? []
  const spellings: [string, string[]][] = Array.isArray(options)
    ? options.map((value) => [value, [value]])
    : Object.entries(options).map(([value, list]) => [value, [value, ...list]])
  const wanted = fold(text)
  for (const [value, list] of spellings) {
    if (list.some((spelling) => fold(spelling) === wanted)) return { value }
  }
  return { rule: 'enum', data: { options: spellings.map(([value]) => value).join(', ') } }
}

/** Types one cell for one field. */
export function typeCell(field: ImportField, cell: Cell): Typed {
  if (cell === null || cell === undefined) return { empty: true }
  if (typeof cell === 'string' && cell.trim() === '') return { empty: true }
  const text = cell instanceof Date ? cell.toISOString() : String(cell).trim()
  switch (field.type) {
    case 'text': {
      const max = field.maxLength ?? 255
      return text.length > max ? { rule: 'maxLength', data: { max } } : { value: text }
    }
    case 'email': {
      const email = text.toLowerCase()
      if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { rule: 'email' }
      return { value: email }
    }
    case 'integer': {
      const value = numberCell(cell, 0)
      if (value === 'precision') return { rule: 'integer' }
      if (value === 'invalid') return { rule: 'number' }
      return bounds(value, field)
    }
    case 'money':
    case 'decimal': {
      const scale = field.type === 'money' ? 2 : (field.scale ?? 2)
      const value = numberCell(cell, scale)
      if (value === 'precision') return { rule: 'precision', data: { scale } }
      if (value === 'invalid') return { rule: 'number' }
      return bounds(value, field, 10 ** scale)
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return { value: cell }
      const folded = fold(text)
      if (TRUE.has(folded)) return { value: true }
      if (FALSE.has(folded)) return { value: false }
      return { rule: 'boolean' }
    }
    case 'date': {
      if (cell instanceof Date)
        return { value: DateTime.fromJSDate(cell, { zone: 'utc' }).toISODate() }
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? DateTime.fromISO(text, { zone: 'utc' })
        : DateTime.fromFormat(text, 'd/M/yyyy', { zone: 'utc' })
      return parsed.isValid ? { value: parsed.toISODate() } : { rule: 'date' }
    }
    case 'enum':
      return enumValue(field, text)
    case 'list': {
      const items = text
        .split(/[,;|]/)
        .map((item) => item.trim())
        .filter(Boolean)
      const max = field.maxLength ?? 255
      if (items.some((item) => item.length > max)) return { rule: 'maxLength', data: { max } }
      return { value: [...new Set(items)] }
    }
  }
}
