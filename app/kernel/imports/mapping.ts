import type { ImportField } from './types.js'
import { fold } from './cells.js'

/** Which column feeds which field: field key → column title (absent: not imported). */
export type ImportMapping = Record<string, string>

/** Letters and digits only, lower case, no accents: `N° SIRET` and `n_siret` compare equal. */
function squash(text: string) {
  return fold(text).replace(/[^a-z0-9]/g, '')
}

/** The file's headers as one key, to remember a mapping for files shaped the same. */
export function headersSignature(headers: string[]) {
  return headers.map(squash).join('|').slice(0, 2000)
}

/**
 * A first mapping from the file's headers: a column whose title is the
 * field's key, its French or English label or one of its aliases (without
 * case, accents or punctuation) feeds that field. Each column feeds one field.
 */
export function guessMapping(fields: ImportField[], headers: string[]): ImportMapping {
  const mapping: ImportMapping = {}
  const taken = new Set<string>()
  const squashed = headers.map(squash)
  for (const field of fields) {
    const names = [field.key, field.label.fr, field.label.en, ...(field.aliases ?? [])].map(squash)
    const index = squashed.findIndex(
      (title, i) => title !== '' && !taken.has(headers[i]) && names.includes(title)
    )
    if (index !== -1) {
      mapping[field.key] = headers[index]
      taken.add(headers[index])
    }
  }
  return mapping
}

/**
 * Keeps the entries of a mapping that name a known field and a column of this
 * file, so a remembered or submitted mapping never points at nothing.
 */
export function usableMapping(
  fields: ImportField[],
  headers: string[],
  mapping: Record<string, unknown>
): ImportMapping {
  const keys = new Set(fields.map((f) => f.key))
  const titles = new Set(headers)
  return Object.fromEntries(
    Object.entries(mapping).filter(
      ([key, title]) => keys.has(key) && typeof title === 'string' && titles.has(title)
    )
  ) as ImportMapping
}

/**
 * A mapping remembered for files shaped like this one, pointed at this file's
 * own spelling of the column titles (the shape ignores case and accents).
 */
export function carryMapping(
  fields: ImportField[],
  headers: string[],
  remembered: Record<string, unknown>
): ImportMapping {
  const bySquash = new Map(headers.map((title) => [squash(title), title]))
  const moved = Object.fromEntries(
    Object.entries(remembered)
      .filter(([, title]) => typeof title === 'string')
      .map(([key, title]) => [key, bySquash.get(squash(title as string)) ?? title])
  )
  return usableMapping(fields, headers, moved)
}

/**
 * Parses `--mapping` of the command: `field=Column title,field2=Other` or a
 * JSON object.
 */
export function parseMappingOption(option: string): Record<string, string> {
  const trimmed = option.trim()
  if (trimmed.startsWith('{')) return JSON.parse(trimmed)
  return Object.fromEntries(
    trimmed
      .split(',')
      .map((pair) => pair.split('='))
      .filter((parts) => parts.length === 2)
      .map(([key, title]) => [key.trim(), title.trim()])
  )
}
