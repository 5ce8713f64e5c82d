/*
 * The stock benchmark of `npm run bench` (BENCH_ONLY=stock runs it alone):
 * a dedicated SQLite file (tmp/bench-stock.sqlite3) with the demo company,
 * BENCH_STOCK_ARTICLES (20 000) articles, 10 locations and
 * BENCH_STOCK_MOVEMENTS (1 000 000) numbered receipt documents of one line
 * each, inserted in SQL with levels, totals and average costs that agree with
 * them (one unit cost per article keeps the weighted average exact). Then:
 * the levels list and one article's page (the article with the most
 * movements), and receipts posted by many clients at once, after which the
 * receipt numbers are checked gapless and `node ace stock:verify` must pass.
 */
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { existsSync, rmSync } from 'node:fs'

export const stockFile = 'tmp/bench-stock.sqlite3'
const LOCATIONS = 10
// The first article takes this share of the movements: the busy one, whose page is measured.
const BUSY_SHARE = 0.05

function count(file, table) {
  if (!existsSync(file)) return 0
  const database = new Database(file, { readonly: true })
  try {
    return database.prepare(`SELECT count(*) AS total FROM ${table}`).get().total
  } catch {
    return 0
  } finally {
    database.close()
  }
}

/** Seeds the file once (kept between runs, like the contacts one); BENCH_RESEED=1 rebuilds it. */
export function prepareStock({ articles, movements, run, step, env, login }) {
  if (!process.env.BENCH_RESEED && count(stockFile, 'stock_movements') >= movements) {
    step(`reusing ${stockFile} (${count(stockFile, 'stock_movements')} movements)`)
    run(['ace.js', 'app:prepare'], 'node ace app:prepare (stock)', env)
    return
  }
  step(`seeding ${stockFile}: demo company, ${articles} articles, ${movements} movements`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${stockFile}${suffix}`, { force: true })
  run(['ace.js', 'app:prepare', '--demo'], 'node ace app:prepare --demo (stock)', env)

  const database = new Database(stockFile)
  database.pragma('journal_mode = WAL')
  const company = database.prepare('SELECT id FROM companies ORDER BY id LIMIT 1').get()
  const owner = database.prepare('SELECT id FROM users WHERE email = ?').get(login.email)
  const sequence = database
    .prepare('SELECT id, prefix, padding, reset FROM sequences WHERE company_id = ? AND key = ?')
    .get(company.id, 'stock.receipt')
  if (!sequence) throw new Error('The stock module is not enabled in the bench database')
  const year = new Date().getUTCFullYear()
  const period = sequence.reset === 'yearly' ? String(year) : ''
  const counter = database
    .prepare('SELECT last_value FROM sequence_counters WHERE sequence_id = ? AND period = ?')
    .get(sequence.id, period)
  let last = counter?.last_value ?? 0
  const stamp = (date) => date.toISOString().slice(0, 19).replace('T', ' ')
  const now = stamp(new Date())
  const started = performance.now()

  const locationIds = []
  const insertLocation = database.prepare(`INSERT INTO stock_locations (company_id, name, kind,
    created_at, updated_at) VALUES (?, ?, 'warehouse', ?, ?)`)
  database.transaction(() => {
    for (let i = 1; i <= LOCATIONS; i++) {
      locationIds.push(
        Number(insertLocation.run(company.id, `Dépôt banc ${i}`, now, now).lastInsertRowid)
      )
    }
  })()

  const insertArticle = database.prepare(`INSERT INTO stock_articles (company_id, reference,
    name, search_text, category, unit, purchase_price_cents, min_stock, reorder_quantity,
    owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'u', ?, 0, 0, ?, ?, ?)`)
  const CATEGORIES = ['Ardoise', 'Zinc', 'Visserie', 'Gouttière', 'Isolant', 'Bois']
  const articleIds = []
  const costs = []
  database.transaction(() => {
    for (let i = 0; i < articles; i++) {
      const reference = `BNC-${String(i + 1).padStart(6, '0')}`
      const category = CATEGORIES[i % CATEGORIES.length]
      const name = `${category} ${i + 1}`
      const cost = 100 + ((i * 37) % 9_900)
      costs.push(cost)
      const id = insertArticle.run(
        company.id,
        reference,
        name,
        `${reference} ${name}`.toLowerCase(),
        category,
        cost,
        owner.id,
        now,
        now
      ).lastInsertRowid
      articleIds.push(Number(id))
    }
  })()

  // Receipts in posting order, spread over the year so far; levels and totals summed on the way.
  const insertMovement = database.prepare(`INSERT INTO stock_movements (company_id, number, type,
    to_location_id, total_cost_cents, owner_id, created_at)
    VALUES (?, ?, 'receipt', ?, ?, ?, ?)`)
  const insertLine = database.prepare(`INSERT INTO stock_movement_lines (movement_id,
    company_id, article_id, quantity, unit_cost_cents, total_cost_cents, average_cost_cents)
    VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const levels = new Map()
  const onHand = new Array(articles).fill(0)
  const start = Date.UTC(year, 0, 1)
  const span = Date.now() - 86_400_000 - start
  const prefix = sequence.prefix.replaceAll('{YYYY}', period)
  const busyEvery = Math.round(1 / BUSY_SHARE)
  let others = 0
  const batch = database.transaction((from, to) => {
    for (let n = from; n < to; n++) {
      // Every busyEvery-th receipt is the busy article's; the others go round the rest,
      // each round to the next location, so most articles have stock in several places.
      const busy = n % busyEvery === 0
      const index = busy ? 0 : 1 + (others % (articles - 1))
      const round = busy ? n : Math.floor(others / (articles - 1))
      if (!busy) others += 1
      const article = articleIds[index]
      const location = locationIds[(index + round) % LOCATIONS]
      const quantity = 1000 * (1 + (n % 5))
      const cost = costs[index]
      // quantity is whole units here, so the line cost is exact
      const total = (quantity / 1000) * cost
      last += 1
      const number = `${prefix}${String(last).padStart(sequence.padding, '0')}`
      const created = stamp(new Date(start + Math.floor((span * n) / movements)))
      const id = insertMovement.run(
        company.id,
        number,
        location,
        total,
        owner.id,
        created
      ).lastInsertRowid
      insertLine.run(id, company.id, article, quantity, cost, total, cost)
      onHand[index] += quantity
      const key = `${article}:${location}`
      levels.set(key, (levels.get(key) ?? 0) + quantity)
    }
  })
  for (let from = 0; from < movements; from += 20_000) {
    batch(from, Math.min(from + 20_000, movements))
  }

  const insertLevel = database.prepare(`INSERT INTO stock_levels (company_id, article_id,
    location_id, quantity, reserved, allow_negative, updated_at) VALUES (?, ?, ?, ?, 0, 0, ?)`)
  const updateArticle = database.prepare(
    'UPDATE stock_articles SET quantity_on_hand = ?, average_cost_cents = ? WHERE id = ?'
  )
  database.transaction(() => {
    for (const [key, quantity] of levels) {
      const [article, location] = key.split(':').map(Number)
      insertLevel.run(company.id, article, location, quantity, now)
    }
    for (let i = 0; i < articles; i++) {
      updateArticle.run(onHand[i], onHand[i] > 0 ? costs[i] : 0, articleIds[i])
    }
    // The receipt series goes on after the seeded numbers.
    database
      .prepare(
        `INSERT INTO sequence_counters (sequence_id, period, last_value) VALUES (?, ?, ?)
         ON CONFLICT (sequence_id, period) DO UPDATE SET last_value = excluded.last_value`
      )
      .run(sequence.id, period, last)
  })()
  database.close()
  step(
    `${articles} articles, ${movements} receipts, ${levels.size} levels inserted in ` +
      `${Math.round(performance.now() - started)} ms`
  )
}

/** The ids the targets need: the busiest article and the first location. */
export function stockFixtures() {
  const database = new Database(stockFile, { readonly: true })
  try {
    const busy = database
      .prepare(
        `SELECT article_id AS id, count(*) AS lines FROM stock_movement_lines
         WHERE article_id = (SELECT min(id) FROM stock_articles WHERE reference LIKE 'BNC-%')`
      )
      .get()
    const location = database
      .prepare("SELECT min(id) AS id FROM stock_locations WHERE name LIKE 'Dépôt banc %'")
      .get()
    const articles = database.prepare('SELECT count(*) AS n FROM stock_articles').get().n
    const movements = database.prepare('SELECT count(*) AS n FROM stock_movements').get().n
    const lines = database.prepare('SELECT count(*) AS n FROM stock_movement_lines').get().n
    const levels = database.prepare('SELECT count(*) AS n FROM stock_levels').get().n
    return {
      articleId: busy.id,
      articleLines: busy.lines,
      locationId: location.id,
      articles,
      movements,
      lines,
      levels,
    }
  } finally {
    database.close()
  }
}

function receiptState(database) {
  const company = database.prepare('SELECT id FROM companies ORDER BY id LIMIT 1').get()
  const sequence = database
    .prepare('SELECT id, reset FROM sequences WHERE company_id = ? AND key = ?')
    .get(company.id, 'stock.receipt')
  const now = new Date().toISOString()
  const period =
    sequence.reset === 'yearly'
      ? now.slice(0, 4)
      : sequence.reset === 'monthly'
        ? now.slice(0, 7)
        : ''
  const counter = database
    .prepare('SELECT last_value FROM sequence_counters WHERE sequence_id = ? AND period = ?')
    .get(sequence.id, period)
  const movement = database
    .prepare('SELECT max(id) AS id FROM stock_movements WHERE company_id = ?')
    .get(company.id)
  return {
    companyId: company.id,
    lastValue: Number(counter?.last_value ?? 0),
    lastId: Number(movement?.id ?? 0),
  }
}

/**
 * `connections` clients post one-line receipts (1 unit each, spread over the
 * articles and locations) for `duration` seconds; the documents' numbers are
 * then checked consecutive from where the series stood, with no duplicate.
 */
export async function measureReceipts({ url, token, connections, duration, cpu, fixtures }) {
  const database = new Database(stockFile, { readonly: true })
  database.pragma('busy_timeout = 10000')
  const before = receiptState(database)
  const cpuBefore = cpu()
  let client = 0
  const result = await autocannon({
    url: `${url}/api/v1/stock/movements`,
    method: 'POST',
    connections,
    duration,
    timeout: 60,
    headers: {
      'authorization': `Bearer ${token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    setupClient(c) {
      client += 1
      c.setBody(
        JSON.stringify({
          type: 'receipt',
          articleId: fixtures.articleId + ((client * 131) % fixtures.articles),
          quantity: 1000,
          unitCost: 250,
          toLocationId: fixtures.locationId + (client % LOCATIONS),
          reason: 'bench',
        })
      )
    },
  })
  const cpuAfter = cpu()
  let after = receiptState(database)
  for (let settled = false; !settled;) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = receiptState(database)
    settled = now.lastValue === after.lastValue
    after = now
  }
  const numbers = database
    .prepare('SELECT number FROM stock_movements WHERE company_id = ? AND id > ? AND type = ?')
    .all(before.companyId, before.lastId, 'receipt')
    .map((row) => Number(row.number.split('-').at(-1)))
    .sort((a, b) => a - b)
  database.close()
  const created = result['2xx']
  const expected = numbers.map((_, i) => before.lastValue + 1 + i)
  return {
    documentsPerSecond: Math.round(created / duration),
    created,
    documents: numbers.length,
    duplicates: numbers.length - new Set(numbers).size,
    gapless:
      numbers.length >= created &&
      numbers.every((n, i) => n === expected[i]) &&
      after.lastValue === before.lastValue + numbers.length,
    first: numbers[0] ?? null,
    last: numbers.at(-1) ?? null,
    cpuPerDocument:
      cpuBefore === null || cpuAfter === null || !created ? null : (cpuAfter - cpuBefore) / created,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

export function describeReceipts(r) {
  const check = r.gapless && r.duplicates === 0 ? 'no gap, no duplicate' : 'GAP OR DUPLICATE'
  const problems = r.non2xx || r.errors ? `  !! ${r.non2xx} non-2xx, ${r.errors} errors` : ''
  const cpu = r.cpuPerDocument === null ? '' : `  cpu ${r.cpuPerDocument.toFixed(2)} ms/document`
  return (
    `${'receipts posted (API, 1 line)'.padEnd(52)} ${String(r.documentsPerSecond).padStart(7)} docs/s` +
    `  p50 ${r.p50} ms  p99 ${r.p99} ms${cpu}\n` +
    `  ${r.documents} numbers ${r.first}–${r.last}: ${check}${problems}`
  )
}
