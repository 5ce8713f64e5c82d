import db from '@adonisjs/lucid/services/db'
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
 */
export async function verifyLedger(companyId?: number): Promise<{
  levels: number
  articles: number
  lines: number
  mismatches: Mismatch[]
}> {
  const mismatches: Mismatch[] = []
  const forCompany = (q: any, column: string) => (companyId ? q.where(column, companyId) : q)

  // Ledger sums per article × location: into to_location, out of from_location.
  const into = await forCompany(
    db
      .from('stock_movement_lines as l')
      .join('stock_movements as m', 'm.id', 'l.movement_id')
      .whereNotNull('m.to_location_id')
      .groupBy('m.company_id', 'l.article_id', 'm.to_location_id')
      .select('m.company_id', 'l.article_id', 'm.to_location_id as location_id')
      .sum('l.quantity as total'),
    'm.company_id'
  )
  const out = await forCompany(
    db
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
    db
      .from('stock_levels')
      .select('company_id', 'article_id', 'location_id', 'quantity', 'reserved'),
    'company_id'
  )
  const reservations = await forCompany(
    db
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

  // Totals and average costs, replaying each article's lines in the order they were posted.
  const articles = await forCompany(
    db
      .from('stock_articles')
      .select('id', 'company_id', 'quantity_on_hand', 'average_cost_cents')
      .orderBy('id'),
    'company_id'
  )
  let lineCount = 0
  for (const article of articles) {
    let onHand = 0
    let average = 0
    let lastId = 0
    // In batches, so a long ledger is replayed in constant memory.
    for (;;) {
      const lines = await db
        .from('stock_movement_lines as l')
        .join('stock_movements as m', 'm.id', 'l.movement_id')
        .where('l.article_id', article.id)
        .where('l.id', '>', lastId)
        .orderBy('l.id')
        .limit(5000)
        .select('l.id', 'l.quantity', 'l.unit_cost_cents', 'l.average_cost_cents', 'm.type')
      if (!lines.length) break
      for (const line of lines) {
        const quantity = Number(line.quantity)
        if (line.type === 'receipt') {
          average = averageAfterReceipt(onHand, average, quantity, Number(line.unit_cost_cents))
          onHand += quantity
        } else if (line.type === 'issue') onHand -= quantity
        else if (line.type === 'adjustment') onHand += quantity
        if (Number(line.average_cost_cents) !== average) {
          mismatches.push({
            kind: 'average',
            companyId: article.company_id,
            articleId: article.id,
            expected: average,
            found: Number(line.average_cost_cents),
          })
        }
      }
      lineCount += lines.length
      lastId = lines[lines.length - 1].id
    }
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
