import { DateTime } from 'luxon'

/** The languages documents are printed in (a company's "Langue des documents"). */
export type DocumentLocale = 'fr' | 'en'

/** A value a document prints as a date: a calendar date (`YYYY-MM-DD`) or an instant. */
export type DateInput = string | Date | DateTime

/** Raised when a caller passes a value the document cannot print (a programming error). */
export class PdfInputError extends Error {}

/**
 * French conventions for both languages' numbers, except the separators:
 * `fr-FR` writes `1 234,50 €`, `en-GB` `€1,234.50`.
 */
const INTL_LOCALE: Record<DocumentLocale, string> = { fr: 'fr-FR', en: 'en-GB' }

export function documentLocale(locale: string | null | undefined): DocumentLocale {
  return locale === 'en' ? 'en' : 'fr'
}

/**
 * Intl's French group separator is a narrow no-break space (U+202F), which the
 * embedded font has no glyph for: print the ordinary no-break space instead.
 */
function printable(text: string) {
  return text.replace(/\u202f/g, '\u00a0')
}

function assertInteger(value: number, what: string) {
  if (!Number.isSafeInteger(value)) {
    throw new PdfInputError(`${what} must be an integer (minor units), got ${value}`)
  }
}

/** Money held in integer minor units (cents): `123450` → `1 234,50 €`. */
export function formatMoney(cents: number, locale: DocumentLocale = 'fr', currency = 'EUR') {
  assertInteger(cents, 'A money amount')
  // Dividing by 100 is exact enough for display: Intl rounds to 2 decimals.
  return printable(
    new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency }).format(cents / 100)
  )
}

/** A plain number, with `decimals` fraction digits (by default up to 2). */
export function formatNumber(value: number, locale: DocumentLocale = 'fr', decimals?: number) {
  if (!Number.isFinite(value)) throw new PdfInputError(`Not a number: ${value}`)
  const digits =
    decimals === undefined
      ? { maximumFractionDigits: 2 }
      : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
  return printable(new Intl.NumberFormat(INTL_LOCALE[locale], digits).format(value))
}

/** A quantity held as a scaled integer in thousandths: `1500` → `1,5`. */
export function formatQuantity(thousandths: number, locale: DocumentLocale = 'fr') {
  assertInteger(thousandths, 'A quantity')
  return printable(
    new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 3 }).format(
      thousandths / 1000
    )
  )
}

/** A rate given in percent: `20` → `20 %`, `5.5` → `5,5 %`. */
export function formatPercent(percent: number, locale: DocumentLocale = 'fr') {
  if (!Number.isFinite(percent)) throw new PdfInputError(`Not a number: ${percent}`)
  return printable(
    new Intl.NumberFormat(INTL_LOCALE[locale], {
      style: 'percent',
      maximumFractionDigits: 2,
    }).format(percent / 100)
  )
}

/**
 * A date as `22/11/2026`. A calendar date (`2026-11-22`) prints as it is; an
 * instant (Date, DateTime or ISO timestamp) prints as the day it was in the
 * company's time zone.
 */
export function formatDate(value: DateInput, zone = 'Europe/Paris') {
  let date: DateTime
  if (typeof value === 'string') {
    date = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? DateTime.fromISO(value, { zone: 'UTC' })
      : DateTime.fromISO(value, { setZone: true }).setZone(zone)
  } else if (value instanceof Date) {
    date = DateTime.fromJSDate(value).setZone(zone)
  } else {
    date = value.setZone(zone)
  }
  if (!date.isValid) throw new PdfInputError(`Not a date: ${String(value)}`)
  return date.toFormat('dd/MM/yyyy')
}

/** SIREN and SIRET as printed: `732 829 320`, `732 829 320 00074`. */
export function formatCompanyId(id: string) {
  const digits = id.replace(/\s/g, '')
  if (digits.length === 9) return digits.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')
  if (digits.length === 14) return digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4')
  return id
}
