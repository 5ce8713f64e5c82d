import { DateTime } from 'luxon'
import type { WidgetContext } from '#kernel/modules/define_module'
import Contact from '../models/contact.js'
import { PERMISSIONS } from '../constants.js'

/**
 * Chart: contacts created per month over the last 12 months (this one
 * included), in the user's scope. Only the creation dates are read and
 * counted per month here, so the query is the same on SQLite and PostgreSQL.
 */
export default async function createdPerMonth({ access, locale }: WidgetContext) {
  const start = DateTime.utc().startOf('month').minus({ months: 11 })
  const months = Array.from({ length: 12 }, (_, i) => start.plus({ months: i }))
  const counts = new Map(months.map((m) => [m.toFormat('yyyy-MM'), 0]))
  const contacts = await access
    .scope(Contact.query(), PERMISSIONS.read)
    .where('created_at', '>=', start.toFormat('yyyy-MM-dd HH:mm:ss'))
    .select('id', 'created_at')
  for (const contact of contacts) {
    const month = contact.createdAt.toUTC().toFormat('yyyy-MM')
    if (counts.has(month)) counts.set(month, counts.get(month)! + 1)
  }
  return {
    type: 'bar' as const,
    labels: months.map((m) => m.setLocale(locale).toFormat('LLL yyyy')),
    series: [
      {
        label: locale === 'en' ? 'Contacts created' : 'Contacts créés',
        values: [...counts.values()],
      },
    ],
  }
}
