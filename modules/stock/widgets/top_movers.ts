import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { WidgetContext } from '#kernel/modules/define_module'
import { PERMISSIONS } from '../constants.js'

/**
 * Chart: the 8 articles issued the most over the last 30 days (quantities in
 * units), counted in SQL over the issue lines of documents the user may see.
 */
export default async function topMovers({ access, locale }: WidgetContext) {
  const since = DateTime.utc().minus({ days: 30 }).toFormat('yyyy-MM-dd HH:mm:ss')
  const query = db
    .from('stock_movement_lines')
    .join('stock_movements', 'stock_movements.id', 'stock_movement_lines.movement_id')
    .join('stock_articles', 'stock_articles.id', 'stock_movement_lines.article_id')
    .where('stock_movements.type', 'issue')
    .where('stock_movements.created_at', '>=', since)
    .groupBy('stock_articles.id', 'stock_articles.reference')
    .select('stock_articles.reference')
    .sum('stock_movement_lines.quantity as issued')
    .orderBy('issued', 'desc')
    .orderBy('stock_articles.reference')
    .limit(8)
  access.scope(query, PERMISSIONS.movementRead, {
    company: 'stock_movements.company_id',
    owner: 'stock_movements.owner_id',
    team: 'stock_movements.team_id',
  })
  access.scope(query, PERMISSIONS.articleRead, {
    company: 'stock_articles.company_id',
    owner: 'stock_articles.owner_id',
    team: 'stock_articles.team_id',
  })
  const rows = await query
  return {
    type: 'bar' as const,
    labels: rows.map((r) => r.reference as string),
    series: [
      {
        label: locale === 'en' ? 'Issued (30 days)' : 'Sorties (30 jours)',
        values: rows.map((r) => Number(r.issued) / 1000),
      },
    ],
  }
}
