import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { averageAfterReceipt } from './costing.js'

export interface Mismatch {
  kind: 'level' | 'total' | 'average' | 'reserved'
  companyId: number
  articleId: number
  locationId?: number
  /** What the ledger says */
  expected: number
  /** What is stored */
  found: number
}

/**
 * Checks the kept figures against the ledger of movement lines: every level
 * (article × location) equals the sum of the lines into it minus the lines
 * out of it, every article's total equals the sum of its levels, every
 * average cost equals the one obtained by replaying its lines in order, and
 * every level's reserved quantity equals the sum of its reservations.
 * `companyId` narrows the check to one company.
 *
 * Every read is made in one read-only transaction (repeatable read on
 * PostgreSQL; on SQLite a read transaction sees one state of the file), so
 * documents posted while it runs are either wholly seen or not at all: it
 * can run on a site in use without reporting half-posted documents.
 */
export interface VerifyResult {
  levels: number
  articles: number
  lines: number
  mismatches: Mismatch[]
}

export async function verifyLedger(companyId?: number): Promise<VerifyResult> {
  const postgres = db.connection().dialect.name === 'postgres'
  const trx = await db.transaction(postgres ? { isolationLevel: 'repeatable read' } : {})
  try {
    return await verifyIn(trx, companyId)
  } finally {
    await trx.rollback()
  }
}

async function verifyIn(client: QueryClientContract, companyId?: number): Promise<VerifyResult> {
  const mismatches: Mismatch[] = []
  const forCompany = (q: any, column: string) => (companyId ? q.where(column, companyId) : q)

  // Ledger sums per article × location: into to_location, out of from_location.
  const into = await forCompany(
    client
      .from('stock_movement_lines as l')
      .join('stock_movements as m', 'm.id', 'l.movement_id')
      .whereNotNull('m.to_location_id')
      .groupBy('m.company_id', 'l.article_id', 'm.to_location_id')
      .select('m.company_id', 'l.article_id', 'm.to_location_id as location_id')
      .sum('l.quantity as total'),
    'm.company_id'
  )
  const out = await forCompany(
    client
      .from('stock_movement_lines as l')
      .join('stock_movements as m', 'm.id', 'l.movement_id')
      .whereNotNull('m.from_location_id')
      .groupBy('m.company_id', 'l.article_id', 'm.from_location_id')
      .select('m.company_id', 'l.article_id', 'm.from_location_id as location_id')
      .sum('l.quantity as total'),
    'm.company_id'
  )
  const ledger = new Map<string, { companyId: number; quantity: number }>()
  const add = (row: any, sign: number) => {
    const key = `${row.article_id}:${row.location_id}`
    const entry = ledger.get(key) ?? { companyId: row.company_id, quantity: 0 }
    entry.quantity += sign * Number(row.total)
    ledger.set(key, entry)
  }
  into.forEach((row: any) => add(row, 1))
  out.forEach((row: any) => add(row, -1))

  const levels = await forCompany(
    client
      .from('stock_levels')
      .select('company_id', 'article_id', 'location_id', 'quantity', 'reserved'),
    'company_id'
  )
  const reservations = await forCompany(
    client
      .from('stock_reservations')
      .groupBy('article_id', 'location_id')
      .select('article_id', 'location_id')
      .sum('quantity as total'),
    'company_id'
  )
  const reservedBy = new Map<string, number>(
    reservations.map((r: any) => [`${r.article_id}:${r.location_id}`, Number(r.total)])
  )
  const totals = new Map<number, number>()
  for (const level of levels) {
    const key = `${level.article_id}:${level.location_id}`
    const expected = ledger.get(key)?.quantity ?? 0
    ledger.delete(key)
    const found = Number(level.quantity)
    const reserved = reservedBy.get(key) ?? 0
    if (reserved !== Number(level.reserved)) {
      mismatches.push({
        kind: 'reserved',
        companyId: level.company_id,
        articleId: level.article_id,
        locationId: level.location_id,
        expected: reserved,
        found: Number(level.reserved),
      })
    }
    totals.set(level.article_id, (totals.get(level.article_id) ?? 0) + found)
    if (expected !== found) {
      mismatches.push({
        kind: 'level',
        companyId: level.company_id,
        articleId: level.article_id,
        locationId: level.location_id,
        expected,
        found,
      })
    }
  }
  // Ledger entries with no level row at all.
  for (const [key, entry] of ledger) {
    if (entry.quantity === 0) continue
    const [articleId, locationId] = key.split(':').map(Number)
    mismatches.push({
      kind: 'level',
      companyId: entry.companyId,
      articleId,
      locationId,
      expected: entry.quantity,
      found: 0,
    })
  }

  // Totals and average costs: every article's lines replayed in the order they were
  // posted, read in one pass ordered by (article, line) in batches of constant size.
  const replayed = new Map<number, { onHand: number; average: number }>()
  let lineCount = 0
  let after: { articleId: number; id: number } | null = null
  for (;;) {
    const query = forCompany(
      client
        .from('stock_movement_lines as l')
        .join('stock_movements as m', 'm.id', 'l.movement_id')
        .orderBy('l.article_id')
        .orderBy('l.id')
        .limit(10_000)
        .select(
          'l.id',
          'l.article_id',
          'l.quantity',
          'l.unit_cost_cents',
          'l.average_cost_cents',
          'm.type',
          'm.company_id'
        ),
      'm.company_id'
    )
    if (after) {
      const { articleId, id } = after
      query.where((q: any) =>
        q
          .where('l.article_id', '>', articleId)
          .orWhere((same: any) => same.where('l.article_id', articleId).where('l.id', '>', id))
      )
    }
    const lines = await query
    if (!lines.length) break
    for (const line of lines) {
      const state = replayed.get(line.article_id) ?? { onHand: 0, average: 0 }
      const quantity = Number(line.quantity)
      if (line.type === 'receipt') {
        state.average = averageAfterReceipt(
          state.onHand,
          state.average,
          quantity,
          Number(line.unit_cost_cents)
        )
        state.onHand += quantity
      } else if (line.type === 'issue') state.onHand -= quantity
      else if (line.type === 'adjustment') state.onHand += quantity
      if (Number(line.average_cost_cents) !== state.average) {
        mismatches.push({
          kind: 'average',
          companyId: line.company_id,
          articleId: line.article_id,
          expected: state.average,
          found: Number(line.average_cost_cents),
        })
      }
      replayed.set(line.article_id, state)
    }
    lineCount += lines.length
    const last = lines[lines.length - 1]
    after = { articleId: last.article_id, id: last.id }
  }

  const articles = await forCompany(
    client
      .from('stock_articles')
      .select('id', 'company_id', 'quantity_on_hand', 'average_cost_cents')
      .orderBy('id'),
    'company_id'
  )
  for (const article of articles) {
    const { onHand, average } = replayed.get(article.id) ?? { onHand: 0, average: 0 }
    const levelTotal = totals.get(article.id) ?? 0
    for (const [expected, found] of [
      [onHand, Number(article.quantity_on_hand)],
      [levelTotal, Number(article.quantity_on_hand)],
    ]) {
      if (expected !== found) {
        mismatches.push({
          kind: 'total',
          companyId: article.company_id,
          articleId: article.id,
          expected,
          found,
        })
      }
    }
    if (average !== Number(article.average_cost_cents)) {
      mismatches.push({
        kind: 'average',
        companyId: article.company_id,
        articleId: article.id,
        expected: average,
        found: Number(article.average_cost_cents),
      })
    }
  }
  return { levels: levels.length, articles: articles.length, lines: lineCount, mismatches }
}
