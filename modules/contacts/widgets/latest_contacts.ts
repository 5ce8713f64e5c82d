import type { WidgetContext } from '#kernel/modules/define_module'
import Contact from '../models/contact.js'
import { PERMISSIONS } from '../constants.js'

/** List: the 5 latest contacts the user may see. */
export default async function latestContacts({ access }: WidgetContext) {
  const contacts = await access
    .scope(Contact.query(), PERMISSIONS.read)
    .whereNull('archived_at')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(5)
    .select('id', 'name', 'code')
  return {
    items: contacts.map((c) => ({ title: c.name, subtitle: c.code, href: `/contacts/${c.id}` })),
  }
}
