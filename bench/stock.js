/*
 * The stock benchmark of `npm run bench` (BENCH_ONLY=stock runs it alone).
 *
 * Data: a dedicated database (the SQLite file tmp/bench-stock.sqlite3, or a
 * PostgreSQL database) with the demo company, BENCH_STOCK_ARTICLES (20 000)
 * articles, 4 warehouses, 16 technicians' vans and BENCH_STOCK_MOVEMENTS
 * (1 000 000) numbered one-line documents inserted in SQL: receipts into the
 * warehouses at varying unit costs, vans loaded from the warehouses and
 * returning what they carry (transfers), parts issued from vans and counters
 * with their reasons, and a few count adjustments; never below zero. Levels,
 * totals, weighted average costs and line costs are computed the way the
 * posting service computes them, and `node ace stock:verify` must pass on
 * the result.
 *
 * Then: the levels list and one article's page (the article with the most
 * movements), and documents posted by 100 clients at once: receipts, issues
 * (some clients fighting over the last units of one level, so some get the
 * 409 insufficient_stock refusal), transfers, and all of them mixed. After
 * each run the invariants are checked — per document type the numbers
 * consecutive with no gap or duplicate, no level below zero, the contended
 * level emptied exactly, `stock:verify` clean — and a failure is reported.
 */
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { existsSync, rmSync } from 'node:fs'
import pg from 'pg'

export const stockFile = process.env.BENCH_SMALL
  ? 'tmp/bench-stock-small.sqlite3'
  : 'tmp/bench-stock.sqlite3'

export const WAREHOUSES = 4
export const VANS = 16
// The first article takes this share of the movements: the busy one, whose page is measured.
const BUSY_SHARE = 0.05
const TYPES = ['receipt', 'issue', 'transfer', 'adjustment']
const SERIES = {
  receipt: 'stock.receipt',
  issue: 'stock.issue',
  transfer: 'stock.transfer',
  adjustment: 'stock.adjustment',
}
// The share of each document type asked for; a document that cannot be made
// (no stock where it would come from) becomes a receipt instead.
const MIX = { receipt: 0.3, issue: 0.45, transfer: 0.22, adjustment: 0.03 }
const ISSUE_REASONS = [
  'Intervention de maintenance',
  'Chantier',
  'Dépannage',
  'Vente comptoir',
  'Casse',
  'Retour fournisseur',
]
const ADJUSTMENT_REASONS = ['Inventaire tournant', 'Casse constatée', 'Erreur de saisie']
const CATEGORIES = [
  ['Ardoise', 'u', 1000],
  ['Zinc', 'm', 500],
  ['Visserie', 'u', 1000],
  ['Gouttière', 'm', 500],
  ['Isolant', 'm2', 250],
  ['Bois', 'm', 100],
]

/* ------------------------------------------------------------ databases */

/**
 * The bench's access to a database, the same on both engines: `all(sql,
 * params)` with `?` placeholders, `insert(table, columns, rows)`, `close()`.
 */
export function sqliteDatabase(file, { readonly = false } = {}) {
  const database = new Database(file, { readonly })
  database.pragma('busy_timeout = 10000')
  if (!readonly) database.pragma('journal_mode = WAL')
  const statements = new Map()
  const prepare = (sql) => {
    if (!statements.has(sql)) statements.set(sql, database.prepare(sql))
    return statements.get(sql)
  }
  return {
    engine: 'sqlite',
    async all(sql, params = []) {
      const statement = prepare(sql)
      return statement.reader ? statement.all(...params) : (statement.run(...params), [])
    },
    async insert(table, columns, rows) {
      const statement = prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
      )
      for (const row of rows) statement.run(...row)
    },
    /** Sets `columns` on the rows of `table` whose id is each row's first value. */
    async update(table, columns, rows) {
      const statement = prepare(
        `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`
      )
      for (const [id, ...values] of rows) statement.run(...values, id)
    },
    async close() {
      database.close()
    },
  }
}

export async function pgDatabase(config) {
  const client = new pg.Client(config)
  await client.connect()
  const types = new Map()
  const dollars = (sql) => {
    let n = 0
    return sql.replace(/\?/g, () => `$${(n += 1)}`)
  }
  return {
    engine: 'pg',
    async all(sql, params = []) {
      return (await client.query(dollars(sql), params)).rows
    },
    async insert(table, columns, rows) {
      // One array a column, unnested: a statement carries thousands of rows and the
      // server parses one parameter a column, not one a value.
      if (!types.has(table)) {
        const { rows: found } = await client.query(
          'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1',
          [table]
        )
        types.set(table, new Map(found.map((c) => [c.column_name, c.data_type])))
      }
      const casts = columns.map((c, i) => `$${i + 1}::${types.get(table).get(c)}[]`)
      for (let from = 0; from < rows.length; from += 20_000) {
        const chunk = rows.slice(from, from + 20_000)
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`,
          columns.map((_, i) => chunk.map((row) => row[i]))
        )
      }
    },
    async update(table, columns, rows) {
      const casts = ['$1::integer[]', ...columns.map((_, i) => `$${i + 2}::bigint[]`)]
      const names = ['id', ...columns]
      await client.query(
        `UPDATE ${table} SET ${columns.map((c) => `${c} = v.${c}`).join(', ')}
         FROM unnest(${casts.join(', ')}) AS v(${names.join(', ')}) WHERE ${table}.id = v.id`,
        names.map((_, i) => rows.map((row) => row[i]))
      )
    },
    async close() {
      await client.end()
    },
  }
}

async function one(database, sql, params) {
  return (await database.all(sql, params))[0]
}

async function tableCount(database, table) {
  try {
    return Number((await one(database, `SELECT count(*) AS total FROM ${table}`)).total)
  } catch {
    return 0
  }
}

/* ------------------------------------------------------------- costing */

// The posting service's arithmetic (modules/stock/services/costing.ts):
// BigInt, rounded half away from zero, once per line total and per average.
function roundDiv(numerator, denominator) {
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const q = (2n * n + d) / (2n * d)
  return negative ? -q : q
}
const lineCost = (quantity, unitCents) =>
  Number(roundDiv(BigInt(quantity) * BigInt(unitCents), 1000n))
function averageAfterReceipt(onHand, averageCents, quantity, unitCents) {
  const before = BigInt(Math.max(onHand, 0))
  const received = BigInt(quantity)
  if (before + received <= 0n) return unitCents
  return Number(
    roundDiv(before * BigInt(averageCents) + received * BigInt(unitCents), before + received)
  )
}

/** A small seeded generator, so every seeding gives the same ledger. */
function random(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/* ------------------------------------------------------------- seeding */

/** The demo company, the bench's user and the four series' state (period of today, UTC). */
async function companyState(database, email) {
  const company = await one(database, 'SELECT id FROM companies ORDER BY id LIMIT 1')
  const owner = email ? await one(database, 'SELECT id FROM users WHERE email = ?', [email]) : null
  const series = {}
  for (const type of TYPES) {
    const sequence = await one(
      database,
      'SELECT id, prefix, padding, reset FROM sequences WHERE company_id = ? AND key = ?',
      [company.id, SERIES[type]]
    )
    if (!sequence) throw new Error('The stock module is not enabled in the bench database')
    const now = new Date().toISOString()
    const period =
      sequence.reset === 'yearly'
        ? now.slice(0, 4)
        : sequence.reset === 'monthly'
          ? now.slice(0, 7)
          : ''
    const counter = await one(
      database,
      'SELECT last_value FROM sequence_counters WHERE sequence_id = ? AND period = ?',
      [sequence.id, period]
    )
    series[type] = {
      id: sequence.id,
      prefix: sequence.prefix.replaceAll('{YYYY}', period.slice(0, 4)),
      padding: Number(sequence.padding),
      period,
      last: Number(counter?.last_value ?? 0),
    }
  }
  return { companyId: company.id, ownerId: owner?.id ?? null, series }
}

async function nextId(database, table) {
  return Number((await one(database, `SELECT max(id) AS id FROM ${table}`)).id ?? 0) + 1
}

/**
 * Seeds the database once (kept between runs); BENCH_RESEED=1 rebuilds it.
 * `prepare(demo)` brings the schema (and the demo company) in with
 * `node ace app:prepare`; `open()` gives the database. Returns whether it
 * seeded, so the caller checks the seeded ledger with stock:verify.
 */
export async function prepareStock({ articles, movements, step, prepare, open, reset, login }) {
  let database = await open()
  const existing = await tableCount(database, 'stock_movements')
  if (!process.env.BENCH_RESEED && existing >= movements) {
    await database.close()
    step(`reusing the stock database (${existing} movements; BENCH_RESEED=1 rebuilds it)`)
    prepare(false)
    return false
  }
  await database.close()
  step(`seeding the stock database: demo company, ${articles} articles, ${movements} movements`)
  await reset()
  prepare(true)
  database = await open()
  const started = performance.now()
  const counts = await seedLedger(database, { articles, movements, login })
  await database.close()
  step(
    `${articles} articles, ${movements} documents (${TYPES.map((t) => `${counts[t]} ${t}s`).join(', ')}), ` +
      `${counts.levels} levels inserted in ${Math.round(performance.now() - started)} ms`
  )
  return true
}

/** Removes the SQLite file (and its WAL) before a reseed. */
export function removeStockFile() {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${stockFile}${suffix}`, { force: true })
}

export function stockFileExists() {
  return existsSync(stockFile)
}

async function seedLedger(database, { articles, movements, login }) {
  const { companyId, ownerId, series } = await companyState(database, login.email)
  const technician = await one(database, 'SELECT id FROM users WHERE email = ?', [
    'technicien@demo.charpente.fr',
  ])
  const stamp = (date) => date.toISOString().slice(0, 19).replace('T', ' ')
  const now = stamp(new Date())
  const rand = random(20_000)
  const transaction = async (work) => {
    await database.all('BEGIN')
    await work()
    await database.all('COMMIT')
  }

  // Warehouses first, then the vans (the first one is the demo technician's).
  const locations = []
  let locationId = await nextId(database, 'stock_locations')
  for (let i = 1; i <= WAREHOUSES; i++) {
    locations.push([locationId++, companyId, `Dépôt banc ${i}`, 'warehouse', null, now, now])
  }
  for (let i = 1; i <= VANS; i++) {
    const holder = i === 1 ? (technician?.id ?? null) : null
    locations.push([locationId++, companyId, `Camion banc ${i}`, 'van', holder, now, now])
  }
  const locationIds = locations.map((l) => l[0])
  const PLACES = locationIds.length

  const articleIds = []
  const costs = []
  const steps = []
  const articleRows = []
  let articleId = await nextId(database, 'stock_articles')
  for (let i = 0; i < articles; i++) {
    const reference = `BNC-${String(i + 1).padStart(6, '0')}`
    const [category, unit, quantum] = CATEGORIES[i % CATEGORIES.length]
    const name = `${category} ${i + 1}`
    const cost = 100 + ((i * 37) % 9_900)
    costs.push(cost)
    steps.push(quantum)
    articleIds.push(articleId)
    articleRows.push([
      articleId++,
      companyId,
      reference,
      name,
      `${reference} ${name}`.toLowerCase(),
      category,
      unit,
      cost,
      ownerId,
      now,
      now,
    ])
  }
  await transaction(async () => {
    await database.insert(
      'stock_locations',
      ['id', 'company_id', 'name', 'kind', 'holder_user_id', 'created_at', 'updated_at'],
      locations
    )
    await database.insert(
      'stock_articles',
      [
        'id',
        'company_id',
        'reference',
        'name',
        'search_text',
        'category',
        'unit',
        'purchase_price_cents',
        'owner_id',
        'created_at',
        'updated_at',
      ],
      articleRows
    )
  })

  // The ledger, in posting order, spread over the year so far.
  const level = new Float64Array(articles * PLACES)
  const touched = new Uint8Array(articles * PLACES)
  const onHand = new Float64Array(articles)
  const average = new Array(articles).fill(0)
  const counts = { receipt: 0, issue: 0, transfer: 0, adjustment: 0 }
  const year = new Date().getUTCFullYear()
  const start = Date.UTC(year, 0, 1)
  const span = Date.now() - 86_400_000 - start
  const busyEvery = Math.round(1 / BUSY_SHARE)
  let movementId = await nextId(database, 'stock_movements')
  let lineId = await nextId(database, 'stock_movement_lines')
  const van = () => WAREHOUSES + Math.floor(rand() * VANS)

  const documents = []
  const lines = []
  const numbers = []
  const flush = async () => {
    await transaction(async () => {
      await database.insert(
        'stock_movements',
        [
          'id',
          'company_id',
          'number',
          'type',
          'from_location_id',
          'to_location_id',
          'reason',
          'total_cost_cents',
          'owner_id',
          'created_at',
        ],
        documents
      )
      await database.insert(
        'stock_movement_lines',
        [
          'id',
          'movement_id',
          'company_id',
          'article_id',
          'quantity',
          'unit_cost_cents',
          'total_cost_cents',
          'average_cost_cents',
        ],
        lines
      )
      // The series' register of issued numbers, as the numbering service keeps it.
      await database.insert('sequence_numbers', ['sequence_id', 'value'], numbers)
    })
    documents.length = 0
    lines.length = 0
    numbers.length = 0
  }

  for (let n = 0; n < movements; n++) {
    const a = n % busyEvery === 0 ? 0 : 1 + Math.floor(rand() * (articles - 1))
    const home = a % WAREHOUSES
    const at = (place) => a * PLACES + place
    const quantum = steps[a]
    const pick = rand()
    let type =
      pick < MIX.receipt
        ? 'receipt'
        : pick < MIX.receipt + MIX.issue
          ? 'issue'
          : pick < MIX.receipt + MIX.issue + MIX.transfer
            ? 'transfer'
            : 'adjustment'
    let from = null
    let to = null
    let quantity = 0
    let reason = null
    if (type === 'issue') {
      // Parts leave mostly from the vans, on site; else over the warehouse counter.
      quantity = quantum * (1 + Math.floor(rand() * 4))
      const source = van()
      if (level[at(source)] >= quantity) from = source
      else if (level[at(home)] >= quantity) from = home
      else type = 'receipt'
      reason = ISSUE_REASONS[Math.floor(rand() * ISSUE_REASONS.length)]
    } else if (type === 'transfer') {
      if (rand() < 0.75) {
        quantity = quantum * (2 + Math.floor(rand() * 9))
        if (level[at(home)] >= quantity) {
          from = home
          to = van()
          reason = 'Chargement du camion'
        } else type = 'receipt'
      } else {
        // A van brings back what it carries of the article.
        const source = van()
        if (level[at(source)] > 0) {
          from = source
          to = home
          quantity = level[at(source)]
          reason = 'Retour au dépôt'
        } else type = 'receipt'
      }
    } else if (type === 'adjustment') {
      const place = rand() < 0.5 ? home : van()
      quantity = quantum * (1 + Math.floor(rand() * 3)) * (rand() < 0.6 ? -1 : 1)
      // What a count finds is never below zero.
      if (level[at(place)] + quantity < 0) {
        quantity = level[at(place)] > 0 ? -level[at(place)] : -quantity
      }
      to = place
      reason = ADJUSTMENT_REASONS[Math.floor(rand() * ADJUSTMENT_REASONS.length)]
    }
    let unitCost
    if (type === 'receipt') {
      from = null
      to = rand() < 0.85 ? home : Math.floor(rand() * WAREHOUSES)
      quantity = quantum * (5 + Math.floor(rand() * 46))
      unitCost = Math.round(costs[a] * (0.85 + 0.3 * rand()))
      reason = rand() < 0.5 ? 'Livraison fournisseur' : null
      average[a] = averageAfterReceipt(onHand[a], average[a], quantity, unitCost)
      onHand[a] += quantity
    } else {
      unitCost = average[a]
      if (type === 'issue') onHand[a] -= quantity
      if (type === 'adjustment') onHand[a] += quantity
    }
    if (from !== null) {
      level[at(from)] -= quantity
      touched[at(from)] = 1
    }
    if (to !== null) {
      level[at(to)] += quantity
      touched[at(to)] = 1
    }
    const total = lineCost(quantity, unitCost)
    const serie = series[type]
    serie.last += 1
    counts[type] += 1
    const number = `${serie.prefix}${String(serie.last).padStart(serie.padding, '0')}`
    const created = stamp(new Date(start + Math.floor((span * n) / movements)))
    documents.push([
      movementId,
      companyId,
      number,
      type,
      from === null ? null : locationIds[from],
      to === null ? null : locationIds[to],
      reason,
      total,
      ownerId,
      created,
    ])
    lines.push([
      lineId++,
      movementId++,
      companyId,
      articleIds[a],
      quantity,
      unitCost,
      total,
      average[a],
    ])
    numbers.push([serie.id, number])
    if (documents.length === 20_000) await flush()
  }
  if (documents.length) await flush()

  const levels = []
  for (let a = 0; a < articles; a++) {
    for (let place = 0; place < PLACES; place++) {
      const index = a * PLACES + place
      if (touched[index]) {
        levels.push([companyId, articleIds[a], locationIds[place], level[index], now])
      }
    }
  }
  await transaction(async () => {
    await database.insert(
      'stock_levels',
      ['company_id', 'article_id', 'location_id', 'quantity', 'updated_at'],
      levels
    )
    await database.update(
      'stock_articles',
      ['quantity_on_hand', 'average_cost_cents'],
      articleIds.map((id, a) => [id, onHand[a], average[a]])
    )
    // Each series goes on after the seeded numbers.
    for (const type of TYPES) {
      const serie = series[type]
      await database.all(
        `INSERT INTO sequence_counters (sequence_id, period, last_value) VALUES (?, ?, ?)
         ON CONFLICT (sequence_id, period) DO UPDATE SET last_value = excluded.last_value`,
        [serie.id, serie.period, serie.last]
      )
    }
  })
  if (database.engine === 'pg') {
    // Explicit ids: the tables' sequences go on after them.
    for (const table of ['stock_locations', 'stock_articles', 'stock_movements']) {
      await database.all(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`
      )
    }
    await database.all(
      `SELECT setval(pg_get_serial_sequence('stock_movement_lines', 'id'),
       (SELECT max(id) FROM stock_movement_lines))`
    )
    await database.all('ANALYZE')
  }
  return { ...counts, levels: levels.length }
}

/** The ids the targets and the posting runs need, and the size of the data. */
export async function stockFixtures(database) {
  const busy = await one(
    database,
    `SELECT article_id AS id, count(*) AS lines FROM stock_movement_lines
     WHERE article_id = (SELECT min(id) FROM stock_articles WHERE reference LIKE 'BNC-%')
     GROUP BY article_id`
  )
  const articleIds = (
    await database.all("SELECT id FROM stock_articles WHERE reference LIKE 'BNC-%' ORDER BY id")
  ).map((row) => Number(row.id))
  const places = async (pattern) =>
    (
      await database.all('SELECT id FROM stock_locations WHERE name LIKE ? ORDER BY id', [pattern])
    ).map((row) => Number(row.id))
  const byType = await database.all(
    'SELECT type, count(*) AS n FROM stock_movements GROUP BY type ORDER BY type'
  )
  return {
    articleId: Number(busy.id),
    articleLines: Number(busy.lines),
    articleIds,
    warehouses: await places('Dépôt banc %'),
    vans: await places('Camion banc %'),
    articles: articleIds.length,
    movements: await tableCount(database, 'stock_movements'),
    byType: Object.fromEntries(byType.map((row) => [row.type, Number(row.n)])),
    lines: await tableCount(database, 'stock_movement_lines'),
    levels: await tableCount(database, 'stock_levels'),
  }
}

/* ------------------------------------------------------------- posting */

/** Each series' counter and the last document, to check a run's numbers against. */
async function ledgerState(database) {
  const { companyId, series } = await companyState(database)
  const last = await one(
    database,
    'SELECT max(id) AS id FROM stock_movements WHERE company_id = ?',
    [companyId]
  )
  return {
    companyId,
    lastId: Number(last?.id ?? 0),
    last: Object.fromEntries(TYPES.map((type) => [type, series[type].last])),
  }
}

async function levelOf(database, articleId, locationId) {
  const row = await one(
    database,
    'SELECT quantity, reserved FROM stock_levels WHERE article_id = ? AND location_id = ?',
    [articleId, locationId]
  )
  return { quantity: Number(row?.quantity ?? 0), reserved: Number(row?.reserved ?? 0) }
}

async function post(api, body) {
  const response = await fetch(`${api.url}/api/v1/stock/movements`, {
    method: 'POST',
    headers: {
      'authorization': `Bearer ${api.token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) {
    throw new Error(`Posting ${JSON.stringify(body)}: ${response.status} ${await response.text()}`)
  }
}

/**
 * Brings levels to a quantity before a run, through the API (receipts up,
 * adjustments down): `exactly` for the contended level, `atLeast` for the
 * others, so that only the contended level can run short.
 */
async function stockUp(api, database, wanted) {
  for (const { articleId, locationId, exactly, atLeast } of wanted) {
    const { quantity, reserved } = await levelOf(database, articleId, locationId)
    if (reserved) throw new Error(`Level ${articleId}@${locationId} has stock reserved`)
    const target = exactly ?? Math.max(atLeast, quantity)
    if (target > quantity) {
      await post(api, {
        type: 'receipt',
        articleId,
        quantity: target - quantity,
        unitCost: 250,
        toLocationId: locationId,
        reason: 'Réassort avant mesure',
      })
    } else if (target < quantity) {
      await post(api, {
        type: 'adjustment',
        articleId,
        quantity: target - quantity,
        toLocationId: locationId,
        reason: 'Inventaire avant mesure',
      })
    }
    const now = await levelOf(database, articleId, locationId)
    if (now.quantity !== target) {
      throw new Error(`Level ${articleId}@${locationId} is ${now.quantity}, not ${target}`)
    }
  }
}

const UNIT = 1000

/**
 * The clients of one run: `kind` is receipts, issues, transfers or mixed.
 * Each client posts the same one-line document again and again, each to its
 * own article, except the contended ones (issues of one unit of the same
 * article from the same van, whose stock runs out during the run) and, for
 * transfers, a group moving one article back and forth between a warehouse
 * and a van (opposite directions lock the same two levels).
 */
function plan(kind, fixtures, { connections, contended, offset }) {
  const { articleIds, warehouses, vans } = fixtures
  // Articles of their own for the uncontended clients: spread, not the busy one nor the
  // contended and shuttled ones, a different set each run.
  const reserved = new Set([articleIds[0], articleIds[1], articleIds[2]])
  const own = []
  for (let i = 0; own.length < connections; i++) {
    const id = articleIds[(3 + offset * 9_973 + i * 131) % articleIds.length]
    if (!reserved.has(id) && !own.includes(id)) own.push(id)
    if (i > articleIds.length * 2) throw new Error('Not enough articles for the clients')
  }
  const contendedLevel = { articleId: articleIds[1], locationId: vans[0] }
  const shuttle = { articleId: articleIds[2], warehouse: warehouses[0], van: vans[1] }
  const clients = []
  const roles =
    kind === 'receipts'
      ? { receipt: connections }
      : kind === 'issues'
        ? { contended: contended, issue: connections - contended }
        : kind === 'transfers'
          ? { shuttle: Math.round(connections / 5), transfer: 0 }
          : {
              receipt: Math.round(connections * 0.3),
              contended: Math.round(connections * 0.1),
              issue: Math.round(connections * 0.3),
              transfer: Math.round(connections * 0.2),
              adjustment: 0,
            }
  if (kind === 'transfers') roles.transfer = connections - roles.shuttle
  if (kind === 'mixed') {
    roles.adjustment = connections - roles.receipt - roles.contended - roles.issue - roles.transfer
  }
  let k = 0
  for (const [role, n] of Object.entries(roles)) {
    for (let i = 0; i < n; i++) {
      const articleId = own[k]
      const warehouse = warehouses[k % warehouses.length]
      const van = vans[k % vans.length]
      k += 1
      if (role === 'receipt') {
        clients.push({
          role,
          type: 'receipt',
          body: {
            type: 'receipt',
            articleId,
            quantity: UNIT,
            unitCost: 250,
            toLocationId: warehouse,
          },
        })
      } else if (role === 'issue') {
        clients.push({
          role,
          type: 'issue',
          level: { articleId, locationId: van },
          body: {
            type: 'issue',
            articleId,
            quantity: UNIT,
            fromLocationId: van,
            reason: ISSUE_REASONS[k % ISSUE_REASONS.length],
          },
        })
      } else if (role === 'contended') {
        clients.push({
          role,
          type: 'issue',
          body: {
            type: 'issue',
            articleId: contendedLevel.articleId,
            quantity: UNIT,
            fromLocationId: contendedLevel.locationId,
            reason: 'Intervention de maintenance',
          },
        })
      } else if (role === 'transfer') {
        clients.push({
          role,
          type: 'transfer',
          level: { articleId, locationId: warehouse },
          body: {
            type: 'transfer',
            articleId,
            quantity: UNIT,
            fromLocationId: warehouse,
            toLocationId: van,
            reason: 'Chargement du camion',
          },
        })
      } else if (role === 'shuttle') {
        const out = i % 2 === 0
        clients.push({
          role,
          type: 'transfer',
          body: {
            type: 'transfer',
            articleId: shuttle.articleId,
            quantity: UNIT,
            fromLocationId: out ? shuttle.warehouse : shuttle.van,
            toLocationId: out ? shuttle.van : shuttle.warehouse,
            reason: out ? 'Chargement du camion' : 'Retour au dépôt',
          },
        })
      } else if (role === 'adjustment') {
        const up = i % 2 === 0
        clients.push({
          role,
          type: 'adjustment',
          level: up ? null : { articleId, locationId: warehouse },
          body: {
            type: 'adjustment',
            articleId,
            quantity: up ? UNIT : -UNIT,
            toLocationId: warehouse,
            reason: ADJUSTMENT_REASONS[i % ADJUSTMENT_REASONS.length],
          },
        })
      }
    }
  }
  const hasContended = clients.some((c) => c.role === 'contended')
  const hasShuttle = clients.some((c) => c.role === 'shuttle')
  return {
    clients,
    contendedLevel: hasContended ? contendedLevel : null,
    shuttle: hasShuttle ? shuttle : null,
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

/**
 * One posting run of `connections` clients for `duration` seconds, then its
 * invariants. `verify()` runs `node ace stock:verify` and returns its result.
 */
export async function measurePosting({
  kind,
  api,
  database,
  connections,
  duration,
  contendedUnits: units,
  pace,
  offset,
  cpu,
  verify,
}) {
  const fixtures = await stockFixtures(database)
  const { clients, contendedLevel, shuttle } = plan(kind, fixtures, {
    connections,
    contended: Math.round(connections / 5),
    offset,
  })
  // Enough stock for every uncontended client to post 100 documents a second all run long.
  const plenty = 100 * duration * UNIT
  const wanted = clients.filter((c) => c.level).map((c) => ({ ...c.level, atLeast: plenty }))
  if (shuttle) {
    wanted.push({ articleId: shuttle.articleId, locationId: shuttle.warehouse, atLeast: plenty })
    wanted.push({ articleId: shuttle.articleId, locationId: shuttle.van, atLeast: plenty })
  }
  const contenders = clients.filter((c) => c.role === 'contended').length
  const contendedUnits =
    units ?? Math.max(5, Math.round((pace * duration * contenders) / clients.length / 2))
  if (contendedLevel) wanted.push({ ...contendedLevel, exactly: contendedUnits * UNIT })
  await stockUp(api, database, wanted)

  const before = await ledgerState(database)
  const cpuBefore = cpu()
  const tally = new Map()
  const latencies = { created: [], refused: [] }
  const refusals = []
  const odd = []
  let index = 0
  const instance = autocannon({
    url: `${api.url}/api/v1/stock/movements`,
    method: 'POST',
    connections: clients.length,
    duration,
    timeout: 60,
    headers: {
      'authorization': `Bearer ${api.token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    setupClient(client) {
      const spec = clients[index++]
      client.setBody(JSON.stringify(spec.body))
      client.bench = spec
      // The body of each refusal is read, to check what it says.
      const iterator = client.requestIterator
      const recordBody = iterator.recordBody
      iterator.recordBody = function (request, status, body, headers) {
        if (status === 409) refusals.push({ role: spec.role, body })
        else if (status !== 201 && odd.length < 5) odd.push(`${status} ${body.slice(0, 300)}`)
        return recordBody.call(this, request, status, body, headers)
      }
    },
  })
  instance.on('response', (client, status, _bytes, time) => {
    const key = `${client.bench.role}:${status}`
    tally.set(key, (tally.get(key) ?? 0) + 1)
    if (status === 201) latencies.created.push(time)
    else if (status === 409) latencies.refused.push(time)
  })
  const result = await instance
  const cpuAfter = cpu()

  // Requests still in flight when the clock stopped finish on the server (their sockets
  // are closed, not their work): wait until two quiet seconds in a row — no number
  // taken, the server's CPU idle and, on PostgreSQL, no query running — so that
  // stock:verify does not read a ledger still being written.
  let after = await ledgerState(database)
  let quiet = 0
  const settleStarted = performance.now()
  while (quiet < 2 && performance.now() - settleStarted < 120_000) {
    const cpuFrom = cpu()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = await ledgerState(database)
    const cpuSpent = cpuFrom === null ? 0 : cpu() - cpuFrom
    const running =
      database.engine === 'pg'
        ? Number(
            (
              await one(
                database,
                `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()
                 AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`
              )
            ).n
          )
        : 0
    const still = TYPES.every((type) => now.last[type] === after.last[type])
    quiet = still && cpuSpent < 50 && running === 0 ? quiet + 1 : 0
    after = now
  }
  const settleMs = Math.round(performance.now() - settleStarted)

  const count = (role, status) => tally.get(`${role}:${status}`) ?? 0
  const roles = [...new Set(clients.map((c) => c.role))]
  const byType = {}
  for (const type of TYPES) {
    const typeRoles = [...new Set(clients.filter((c) => c.type === type).map((c) => c.role))]
    if (!typeRoles.length) continue
    const created = typeRoles.reduce((sum, role) => sum + count(role, 201), 0)
    byType[type] = {
      clients: clients.filter((c) => c.type === type).length,
      created,
      refused: typeRoles.reduce((sum, role) => sum + count(role, 409), 0),
      documentsPerSecond: Math.round(created / duration),
    }
  }
  const statuses = {}
  for (const [key, n] of tally) {
    const status = key.split(':')[1]
    statuses[status] = (statuses[status] ?? 0) + n
  }
  const created = statuses['201'] ?? 0
  const requests = Object.values(statuses).reduce((sum, n) => sum + n, 0)
  latencies.created.sort((a, b) => a - b)
  latencies.refused.sort((a, b) => a - b)

  /* The invariants. */
  const checks = []
  const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail })
  const numbering = {}
  for (const type of TYPES) {
    const numbers = (
      await database.all(
        'SELECT number FROM stock_movements WHERE company_id = ? AND id > ? AND type = ?',
        [before.companyId, before.lastId, type]
      )
    )
      .map((row) => Number(row.number.split('-').at(-1)))
      .sort((a, b) => a - b)
    const issued = after.last[type] - before.last[type]
    const consecutive = numbers.every((n, i) => n === before.last[type] + 1 + i)
    const duplicates = numbers.length - new Set(numbers).size
    const seen = byType[type]?.created ?? 0
    numbering[type] = {
      documents: numbers.length,
      first: numbers[0] ?? null,
      last: numbers.at(-1) ?? null,
    }
    check(
      `${type} numbers consecutive, no gap, no duplicate`,
      consecutive && duplicates === 0 && numbers.length === issued && numbers.length >= seen,
      `${numbers.length} documents ${numbers[0] ?? '–'}–${numbers.at(-1) ?? '–'}, counter +${issued}, ` +
        `${seen} answered 201, ${duplicates} duplicate(s)`
    )
  }
  check(
    'the server settled after the run (no work left in flight)',
    quiet >= 2,
    `${settleMs} ms to settle`
  )
  const negative = Number(
    (await one(database, 'SELECT count(*) AS n FROM stock_levels WHERE quantity < 0')).n
  )
  check('no level below zero', negative === 0, `${negative} level(s) below zero`)
  const unexpected = roles
    .filter((role) => role !== 'contended')
    .reduce((sum, role) => sum + count(role, 409), 0)
  check(
    'refusals only where stock ran short (the contended level)',
    unexpected === 0,
    `${unexpected} refusal(s) of uncontended clients`
  )
  const others = requests - created - (statuses['409'] ?? 0)
  check(
    'every answer a 201 or a 409, no error or timeout',
    others === 0 && result.errors + result.timeouts === 0,
    `${others} other answer(s)${odd.length ? ` (${odd.join(' | ')})` : ''}, ` +
      `${result.errors} error(s), ${result.timeouts} timeout(s)`
  )
  const wrongRefusals = refusals.filter((r) => {
    try {
      const error = JSON.parse(r.body).errors?.[0]
      return !(error?.rule === 'insufficient_stock' && error.available < error.requested)
    } catch {
      return true
    }
  })
  check(
    'every 409 is insufficient_stock with less available than requested',
    wrongRefusals.length === 0,
    `${refusals.length} refusal bodies read, ${wrongRefusals.length} otherwise` +
      (wrongRefusals.length ? `: ${wrongRefusals[0].body.slice(0, 300)}` : '')
  )
  let contention = null
  if (contendedLevel) {
    const issued = await one(
      database,
      `SELECT count(*) AS n, coalesce(sum(l.quantity), 0) AS quantity
       FROM stock_movements m JOIN stock_movement_lines l ON l.movement_id = m.id
       WHERE m.company_id = ? AND m.id > ? AND m.type = 'issue'
         AND m.from_location_id = ? AND l.article_id = ?`,
      [before.companyId, before.lastId, contendedLevel.locationId, contendedLevel.articleId]
    )
    const left = (await levelOf(database, contendedLevel.articleId, contendedLevel.locationId))
      .quantity
    contention = {
      units: contendedUnits,
      clients: clients.filter((c) => c.role === 'contended').length,
      created: count('contended', 201),
      refused: count('contended', 409),
      documents: Number(issued.n),
      left: left / UNIT,
    }
    check(
      'contended level: what was issued plus what is left is what it held',
      Number(issued.quantity) + left === contendedUnits * UNIT,
      `${contendedUnits} units held, ${Number(issued.quantity) / UNIT} issued in ` +
        `${issued.n} documents, ${left / UNIT} left`
    )
    check(
      'contended level: refused only once empty',
      contention.refused === 0 || left < UNIT,
      `${contention.refused} refusals, ${left / UNIT} units left`
    )
  }
  const verified = await verify()
  check('stock:verify clean', verified.ok, `${verified.summary} (${verified.ms} ms)`)

  return {
    kind,
    clients: clients.length,
    roles: Object.fromEntries(
      roles.map((role) => [
        role,
        {
          clients: clients.filter((c) => c.role === role).length,
          created: count(role, 201),
          refused: count(role, 409),
        },
      ])
    ),
    duration,
    requests,
    created,
    documentsPerSecond: Math.round(created / duration),
    requestsPerSecond: Math.round(requests / duration),
    byType,
    statuses,
    contention,
    numbering,
    createdP50: percentile(latencies.created, 50),
    createdP99: percentile(latencies.created, 99),
    refusedP50: percentile(latencies.refused, 50),
    refusedP99: percentile(latencies.refused, 99),
    cpuPerRequest:
      cpuBefore === null || cpuAfter === null || !requests
        ? null
        : (cpuAfter - cpuBefore) / requests,
    cpuPerDocument:
      cpuBefore === null || cpuAfter === null || !created ? null : (cpuAfter - cpuBefore) / created,
    checks,
    ok: checks.every((c) => c.ok),
  }
}

export function describePosting(r) {
  const ms = (value) => (Number.isNaN(value) ? '–' : `${Math.round(value)} ms`)
  const cpu =
    r.cpuPerDocument === null
      ? ''
      : `  cpu ${r.cpuPerDocument.toFixed(2)} ms/document, ${r.cpuPerRequest.toFixed(2)} ms/request`
  const lines = [
    `${`${r.kind}, ${r.clients} clients`.padEnd(30)} ${String(r.documentsPerSecond).padStart(6)} docs/s` +
      `  201 p50 ${ms(r.createdP50)} p99 ${ms(r.createdP99)}` +
      (r.statuses['409'] ? `  409 p50 ${ms(r.refusedP50)} p99 ${ms(r.refusedP99)}` : '') +
      cpu,
  ]
  for (const [type, t] of Object.entries(r.byType)) {
    lines.push(
      `  ${type.padEnd(11)} ${String(t.clients).padStart(3)} clients: ${t.created} × 201` +
        `${t.refused ? `, ${t.refused} × 409` : ''} (${t.documentsPerSecond} docs/s)`
    )
  }
  if (r.contention) {
    const c = r.contention
    lines.push(
      `  contended level (${c.units} units, ${c.clients} clients): ${c.created} × 201, ` +
        `${c.refused} × 409, ${c.documents} documents, ${c.left} units left`
    )
  }
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`)
  return lines.join('\n')
}
