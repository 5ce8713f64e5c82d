import type { ModuleContext } from '#kernel/modules/define_module'
import { nextNumber } from '#kernel/numbering/numbering'
import { normalize } from '../../services/search.js'
import { dbNow } from '#kernel/db/timestamp'

const DEMO = [
  {
    kind: 'company',
    name: 'Mairie de Saint-Malo',
    customer: true,
    city: 'Saint-Malo',
    postalCode: '35400',
    tags: ['collectivité'],
  },
  {
    kind: 'company',
    name: 'Ardoisières d’Angers',
    customer: false,
    supplier: true,
    city: 'Trélazé',
    postalCode: '49800',
    tags: ['ardoise'],
    siren: '552100554',
  },
  {
    kind: 'person',
    name: 'Éléonore Le Bihan',
    customer: true,
    city: 'Dinard',
    postalCode: '35800',
    tags: ['particulier'],
  },
  {
    kind: 'company',
    name: 'SCI Les Remparts',
    customer: true,
    city: 'Rennes',
    postalCode: '35000',
    tags: ['syndic'],
  },
  {
    kind: 'company',
    name: 'Point.P Matériaux',
    customer: false,
    supplier: true,
    city: 'Cesson-Sévigné',
    postalCode: '35510',
    tags: ['négoce'],
  },
  {
    kind: 'person',
    name: 'Jean-François Guérin',
    customer: true,
    city: 'Vitré',
    postalCode: '35500',
    tags: ['particulier'],
  },
  {
    kind: 'company',
    name: 'Zinc & Cuivre de Bretagne',
    customer: false,
    supplier: true,
    city: 'Lorient',
    postalCode: '56100',
    tags: ['zinc'],
  },
  {
    kind: 'company',
    name: 'Lycée Chateaubriand',
    customer: true,
    city: 'Rennes',
    postalCode: '35700',
    tags: ['collectivité'],
  },
] as const

/** A few customers and suppliers of a roofing firm in Brittany. */
export default async function seedDemoContacts(
  ctx: ModuleContext & { companyId: number; userId: number }
) {
  const trx = ctx.client as any
  const now = dbNow(trx)
  for (const demo of DEMO) {
    const { formatted } = await nextNumber(trx, ctx.companyId, 'contacts.contact')
    const addresses = [
      {
        type: 'billing',
        line1: '1 place de la Mairie',
        line2: null,
        postalCode: demo.postalCode,
        city: demo.city,
        country: 'FR',
      },
    ]
    await trx.table('contacts').insert({
      company_id: ctx.companyId,
      code: formatted,
      kind: demo.kind,
      name: demo.name,
      sort_name: normalize(demo.name),
      search_text: normalize(
        [demo.name, formatted, demo.postalCode, demo.city, ...demo.tags].join(' ')
      ),
      is_customer: 'customer' in demo ? demo.customer : false,
      is_supplier: 'supplier' in demo ? demo.supplier : false,
      siren: 'siren' in demo ? demo.siren : null,
      addresses: JSON.stringify(addresses),
      tags: JSON.stringify(demo.tags),
      owner_id: ctx.userId,
      created_at: now,
      updated_at: now,
    })
  }
}
