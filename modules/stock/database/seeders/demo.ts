import type { ModuleContext } from '#kernel/modules/define_module'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Access } from '#kernel/security/access'
import { dbNow } from '#kernel/db/timestamp'
import PostingService from '../../services/posting.js'
import { normalize } from '../../services/search.js'
import { QUANTITY_SCALE } from '../../constants.js'

/** A roofer's stock: what the slate calculator orders, kept in a depot and a van. */
const ARTICLES = [
  {
    reference: 'ARD-4025-ESP',
    name: 'Ardoise naturelle d’Espagne 40 × 25, 1er choix',
    category: 'Ardoises',
    unit: 'u',
    price: 98,
    min: 2000,
    reorder: 5000,
    barcode: '3760000402501',
  },
  {
    reference: 'ARD-3222-ANG',
    name: 'Ardoise d’Angers 32 × 22',
    category: 'Ardoises',
    unit: 'u',
    price: 145,
    min: 1000,
    reorder: 2000,
    barcode: null,
  },
  {
    reference: 'CRO-INOX-110',
    name: 'Crochet inox 110 mm, teinte ardoise',
    category: 'Fixations',
    unit: 'u',
    price: 6,
    min: 3000,
    reorder: 10000,
    barcode: '3760000110007',
  },
  {
    reference: 'CLOU-CU-30',
    name: 'Clou cuivre 30 mm (boîte de 1 kg)',
    category: 'Fixations',
    unit: 'u',
    price: 1890,
    min: 5,
    reorder: 10,
    barcode: null,
  },
  {
    reference: 'LIT-2740',
    name: 'Liteau sapin traité 27 × 40',
    category: 'Bois',
    unit: 'm',
    price: 62,
    min: 500,
    reorder: 1000,
    barcode: null,
  },
  {
    reference: 'ECR-HPV-75',
    name: 'Écran sous-toiture HPV, rouleau 75 m²',
    category: 'Étanchéité',
    unit: 'u',
    price: 8900,
    min: 4,
    reorder: 6,
    barcode: null,
  },
]

/** [reference, location, quantity in units, unit cost in cents] received at the depot. */
const RECEIPTS: [string, number, number][] = [
  ['ARD-4025-ESP', 6000, 96],
  ['ARD-3222-ANG', 800, 145],
  ['CRO-INOX-110', 12000, 6],
  ['CLOU-CU-30', 12, 1890],
  ['LIT-2740', 1500, 62],
  ['ECR-HPV-75', 5, 8900],
]

async function insertRow(client: TransactionClientContract, table: string, row: object) {
  const [inserted] = await client.table(table).insert(row).returning('id')
  return Number(typeof inserted === 'object' ? inserted.id : inserted)
}

/**
 * The demo company's stock: a depot and a van, six articles, a receipt at
 * the depot, a transfer to the van and an issue for a roof — posted through
 * the ledger, so levels, values and history agree with `stock:verify`. The
 * Angers slates end below their minimum, so the reorder list is not empty.
 */
export default async function seedDemoStock(
  ctx: ModuleContext & { companyId: number; userId: number }
) {
  const client = ctx.client as TransactionClientContract
  const now = dbNow(client)
  const location = (name: string, kind: string) =>
    insertRow(client, 'stock_locations', {
      company_id: ctx.companyId,
      name,
      kind,
      created_at: now,
      updated_at: now,
    })
  const depot = await location('Dépôt de Rennes', 'warehouse')
  const van = await location('Fourgon couverture', 'van')

  const ids = new Map<string, number>()
  for (const article of ARTICLES) {
    ids.set(
      article.reference,
      await insertRow(client, 'stock_articles', {
        company_id: ctx.companyId,
        reference: article.reference,
        name: article.name,
        search_text: normalize(
          [article.reference, article.name, article.barcode].filter(Boolean).join(' ')
        ),
        category: article.category,
        unit: article.unit,
        purchase_price_cents: article.price,
        min_stock: article.min * QUANTITY_SCALE,
        reorder_quantity: article.reorder * QUANTITY_SCALE,
        barcode: article.barcode,
        owner_id: ctx.userId,
        created_at: now,
        updated_at: now,
      })
    )
  }

  // The demo's admin posts: an admin holds every permission of the company.
  const posting = new PostingService(new Access(ctx.userId, ctx.companyId, 'admin', new Map(), []))
  const line = (reference: string, units: number, unitCost?: number) => ({
    articleId: ids.get(reference)!,
    quantity: units * QUANTITY_SCALE,
    ...(unitCost !== undefined ? { unitCost } : {}),
  })
  await posting.postIn(
    client,
    {
      type: 'receipt',
      lines: RECEIPTS.map(([reference, units, cost]) => line(reference, units, cost)),
      reason: 'Livraison Ardoisières d’Angers / Point.P',
    },
    null,
    depot
  )
  await posting.postIn(
    client,
    {
      type: 'transfer',
      lines: [line('ARD-4025-ESP', 1400), line('CRO-INOX-110', 1400), line('LIT-2740', 340)],
      reason: 'Chantier Le Bihan, Dinard',
    },
    depot,
    van
  )
  await posting.postIn(
    client,
    {
      type: 'issue',
      lines: [line('ARD-4025-ESP', 1396), line('CRO-INOX-110', 1396), line('LIT-2740', 332)],
      reason: 'Maison Le Bihan, Dinard — pan nord (1 396 ardoises, calcul ardoise)',
    },
    van,
    null
  )
  await posting.postIn(
    client,
    {
      type: 'issue',
      lines: [line('ARD-3222-ANG', 300)],
      reason: 'Réparation toiture, Mairie de Saint-Malo',
    },
    depot,
    null
  )
}
