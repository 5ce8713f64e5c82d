/* Quantity helpers for the stock pages (pure: the page passes its locale). */

/** Thousandths as people read them: `2 500` → `2,5` (French) or `2.5`. */
export function formatQuantity(thousandths: number, pageLocale: unknown) {
  const locale = pageLocale === 'en' ? 'en-GB' : 'fr-FR'
  const sign = thousandths < 0 ? '-' : ''
  const abs = Math.abs(thousandths)
  const text = `${sign}${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(
    text as unknown as number
  )
}

/** A decimal typed by a person ("2", "1,5") to thousandths; the text itself when it is not one. */
export function toThousandths(text: string): number | string | null {
  const clean = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.')
  if (!clean) return null
  const match = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(clean)
  if (!match) return text
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'))
}

/** Thousandths as a form shows them for editing: `2,5`. */
export function thousandthsToInput(value: number | null | undefined) {
  if (value === null || value === undefined) return ''
  const whole = Math.trunc(value / 1000)
  const rest = String(Math.abs(value) % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '')
  return rest ? `${whole},${rest}` : String(whole)
}
