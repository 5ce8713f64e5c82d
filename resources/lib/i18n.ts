import { page } from '@inertiajs/svelte'

/**
 * Translates a key with the messages the server shared for the current
 * locale (kernel keys, and `<module>.<key>` for modules). `{name}`
 * placeholders are replaced from `values`. A missing key shows itself.
 */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const messages = (page.props.messages ?? {}) as Record<string, string>
  const text = messages[key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    name in values ? String(values[name]) : `{${name}}`
  )
}

/** Formats a date the French way (or English), in the given time zone. */
export function formatDate(value: string | null | undefined, timeZone = 'Europe/Paris') {
  if (!value) return ''
  const locale = page.props.locale === 'en' ? 'en-GB' : 'fr-FR'
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(value))
}
