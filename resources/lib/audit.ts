import { page } from '@inertiajs/svelte'
import { t } from '~/lib/i18n'

/** One audit entry, as the kernel's audit endpoints return it. */
export interface AuditEntry {
  id: number
  occurredAt: string
  event: string
  model: string | null
  recordId: string | null
  actor: { id: number; name: string } | null
  companyId: number | null
  ip: string | null
  requestId: string | null
  changes: Record<string, [unknown, unknown]>
  masked: string[]
  meta: Record<string, unknown> | null
}

/** A translated text, or `fallback` when the key has no translation. */
export function label(key: string, fallback: string) {
  const text = t(key)
  return text === key ? fallback : text
}

export function eventLabel(event: string) {
  return label(`audit.event.${event}`, event)
}

/** Date and time, to the second, in the site's time zone. */
export function formatDateTime(value: string, timeZone = 'Europe/Paris') {
  const locale = page.props.locale === 'en' ? 'en-GB' : 'fr-FR'
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone,
  }).format(new Date(value))
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** A before or after value as a person reads it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return t('audit.empty_value')
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no')
  if (typeof value === 'string') return ISO_DATE_TIME.test(value) ? formatDateTime(value) : value
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return value.length ? value.join(', ') : t('audit.empty_value')
  }
  if (Array.isArray(value) && !value.length) return t('audit.empty_value')
  return JSON.stringify(value)
}
