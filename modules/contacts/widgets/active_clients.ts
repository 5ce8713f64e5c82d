import type { WidgetContext } from '#kernel/modules/define_module'
import Contact from '../models/contact.js'
import { PERMISSIONS } from '../constants.js'

/** KPI: contacts at the "client" stage of the lifecycle, in the user's scope. */
export default async function activeClients({ access }: WidgetContext) {
  const row = await access
    .scope(Contact.query(), PERMISSIONS.read)
    .where('lifecycle', 'client')
    .whereNull('archived_at')
    .count('* as total')
    .first()
  return { value: Number(row?.$extras.total ?? 0) }
}
