import { page } from '@inertiajs/svelte'

/**
 * Money in pages: amounts travel as integer cents (never floats); people type
 * and read euros.
 */

/**
 * Euros typed by a person ("10 000,50", "1500.5 €") to integer cents; null
 * when empty; the text itself when it is not an amount, so that the server
 * refuses it with a field error instead of the page guessing.
 */
export function toCents(text: string): number | string | null {
  const clean = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
  if (!clean) return null
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(clean)
  if (!match) return text
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/** Cents as a form shows them for editing: `1500,50`. */
export function centsToInput(cents: number | null | undefined) {
  if (cents === null || cents === undefined) return ''
  return `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}`
}

/** Cents as a page shows them: `1 500,50 €` (French) or `€1,500.50` (English). */
export function formatEuros(cents: number) {
  const locale = page.props.locale === 'en' ? 'en-GB' : 'fr-FR'
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  // A decimal string, not a float: Intl formats it exactly.
  const amount = `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(
    amount as unknown as number
  )
}
