/*
 * `npm run bench`: the performance budget of DESIGN.md, measured in one run.
 *
 *   1. seeds a dedicated SQLite database (tmp/bench.sqlite3) with the demo
 *      company and 100 000 contacts, once (kept between runs);
 *   2. builds the application for production (`node ace build`, into build/)
 *      and starts it with NODE_ENV=production and LOG_LEVEL=warn, next to a
 *      plain node:http hello server on the same Node;
 *   3. signs in through the login form (session cookie) and creates an API
 *      token, then runs autocannon against each target in turn, reporting
 *      throughput, latency percentiles and the server's CPU time per request
 *      (which, unlike throughput, holds when other processes share the CPU).
 *
 * Settings (environment): BENCH_DURATION seconds per target (10),
 * BENCH_CONNECTIONS (64), BENCH_WARMUP seconds (3), BENCH_CONTACTS (100000),
 * BENCH_DEEP row position of the deep page (90% of BENCH_CONTACTS),
 * BENCH_RESEED=1 to rebuild the database, BENCH_SKIP_BUILD=1 to reuse build/.
 * REDIS_HOST moves sessions to Redis; the database stays SQLite.
 *
 * Numbering: BENCH_NUMBERING_CONNECTIONS (200) clients create contacts at
 * once, on SQLite, and on PostgreSQL too when BENCH_PG_DATABASE names a
 * database (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD as for the app; it is
 * prepared with the demo company on first use). See bench/numbering.js.
 * BENCH_ONLY=numbering runs this part alone (after the build and sign-in).
 *
 * Stock: a second database with 20 000 articles and 1 000 000 movements
 * (BENCH_STOCK_ARTICLES, BENCH_STOCK_MOVEMENTS) of every type, its levels
 * list and article pages, and BENCH_STOCK_CONNECTIONS (100) clients posting
 * receipts, issues (BENCH_STOCK_CONTENDED units fought over), transfers, then
 * all mixed, each run's invariants checked; on PostgreSQL too when
 * BENCH_STOCK_PG_DATABASE names a database. See bench/stock.js.
 * BENCH_ONLY=stock runs this part alone. A failed invariant exits non-zero.
 *
 * BENCH_SMALL=1 runs everything on small data in their own files (5 000
 * contacts, 500 articles, 20 000 movements, 3 s a target): a quick check that
 * the bench works, not figures.
 *
 * BENCH_ONLY=lists runs the list targets alone (no numbering, no stock).
 */
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { describeNumbering, measureNumbering } from './numbering.js'
import {
  describePosting,
  measurePosting,
  pgDatabase,
  prepareStock,
  removeStockFile,
  sqliteDatabase,
  stockFile,
  stockFixtures,
} from './stock.js'

const root = fileURLToPath(new URL('../', import.meta.url))
// BENCH_SMALL=1: a quick check of the whole run on small data (its own files), not figures.
const small = Boolean(process.env.BENCH_SMALL)
const settings = {
  duration: Number(process.env.BENCH_DURATION ?? (small ? 3 : 10)),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
  warmup: Number(process.env.BENCH_WARMUP ?? (small ? 1 : 3)),
  contacts: Number(process.env.BENCH_CONTACTS ?? (small ? 5_000 : 100_000)),
}
settings.stockArticles = Number(process.env.BENCH_STOCK_ARTICLES ?? (small ? 500 : 20_000))
settings.stockMovements = Number(process.env.BENCH_STOCK_MOVEMENTS ?? (small ? 20_000 : 1_000_000))
settings.stockConnections = Number(process.env.BENCH_STOCK_CONNECTIONS ?? 100)
// Units on the contended level; by default what its clients would issue in half a run at
// the receipts' pace, so that it runs out midway on a fast machine as on a slow one.
settings.stockContended = Number(process.env.BENCH_STOCK_CONTENDED ?? 0)
const only = process.env.BENCH_ONLY ?? ''
const withStock = only === '' || only === 'stock'
settings.deep = Number(process.env.BENCH_DEEP ?? Math.floor(settings.contacts * 0.9))
const PAGE_SIZE = 50
// The demo manager: a permission-scoped member, as most users are (admins also
// need a second factor to sign in, which a benchmark cannot type).
const DEMO_LOGIN = { email: 'manager@demo.charpente.fr', password: 'charpente-demo' }
const sqliteFile = small ? 'tmp/bench-small.sqlite3' : 'tmp/bench.sqlite3'

if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error('Run the benchmark with `npm run bench` (it uses the project’s Node 24).')
  process.exit(1)
}
process.chdir(root)

/* ------------------------------------------------------------------ setup */

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const appPort = await freePort()
const helloPort = await freePort()
const appUrl = `http://127.0.0.1:${appPort}`
const helloUrl = `http://127.0.0.1:${helloPort}`

/*
 * Seeding and tokens run from source (ace); the measured server runs the
 * production build, where SQLITE_FILE is relative to build/. Running from
 * source instead would put every lazy import() of a request through the
 * TypeScript loader's thread. Cookies are not Secure: the URL is http.
 */
const appEnv = {
  ...process.env,
  NODE_ENV: 'production',
  DB_CONNECTION: 'sqlite',
  SQLITE_FILE: sqliteFile,
  HOST: '127.0.0.1',
  PORT: String(appPort),
  APP_URL: appUrl,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  MODULES: 'contacts',
  DEMO: 'false',
}

function run(args, what, env = appEnv) {
  const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' })
  if (result.status !== 0) {
    console.error(`${what} failed:\n${result.stdout}\n${result.stderr}`)
    process.exit(1)
  }
  return result.stdout
}

function step(text) {
  console.log(`· ${text}`)
}

run(['bin/first_run.js'], 'first run')
const appKey = /^APP_KEY=(.*)$/m.exec(readFileSync('.env', 'utf8'))?.[1]

const { ensureAssets } = await import('../bin/assets.js')
ensureAssets()

/* ---------------------------------------------------------------- seeding */

function contactCount() {
  if (!existsSync(sqliteFile)) return 0
  const database = new Database(sqliteFile, { readonly: true })
  try {
    return database.prepare('SELECT count(*) AS total FROM contacts').get().total
  } catch {
    return 0
  } finally {
    database.close()
  }
}

/** Lower-case, accent-free, as the contacts module stores its sort and search keys. */
function normalize(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

const FIRST_NAMES = ['Anne', 'Bernard', 'Camille', 'Denis', 'Élodie', 'François', 'Gaëlle', 'Hervé']
  .concat(['Isabelle', 'Jérôme', 'Katell', 'Loïc', 'Maëlys', 'Nicolas', 'Océane', 'Pierre'])
  .concat(['Quentin', 'Rozenn', 'Soizic', 'Thierry', 'Ulysse', 'Véronique', 'Yannick', 'Zoé'])
const LAST_NAMES = ['Le Gall', 'Martin', 'Le Bihan', 'Guérin', 'Morvan', 'Hamon', 'Lefèvre']
  .concat(['Le Roux', 'Tanguy', 'Briand', 'Jégou', 'Le Goff', 'Riou', 'Kerhervé', 'Prigent'])
  .concat(['Cadiou', 'Le Corre', 'Thomas', 'Robin', 'Gicquel', 'Bothorel', 'Daniel', 'Hénaff'])
const TRADES = [
  'Toitures',
  'Charpentes',
  'Couverture',
  'Ardoises',
  'Zinguerie',
  'Menuiserie',
].concat(['SCI', 'Mairie de', 'Garage', 'Cabinet', 'Boulangerie', 'Ferme', 'Syndic'])
const CITIES = [
  ['35000', 'Rennes'],
  ['35400', 'Saint-Malo'],
  ['29200', 'Brest'],
  ['56100', 'Lorient'],
  ['22000', 'Saint-Brieuc'],
  ['29000', 'Quimper'],
  ['56000', 'Vannes'],
  ['35500', 'Vitré'],
  ['44000', 'Nantes'],
  ['49800', 'Trélazé'],
]
const TAGS = [['particulier'], ['collectivité'], ['syndic'], ['ardoise'], ['zinc', 'négoce'], []]

function seed() {
  step(`seeding ${sqliteFile}: demo company, then ${settings.contacts} contacts`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqliteFile}${suffix}`, { force: true })
  run(['ace.js', 'app:prepare', '--demo'], 'node ace app:prepare --demo')

  const database = new Database(sqliteFile)
  const company = database.prepare('SELECT id FROM companies ORDER BY id LIMIT 1').get()
  const owner = database.prepare('SELECT id FROM users WHERE email = ?').get(DEMO_LOGIN.email)
  const sequence = database
    .prepare('SELECT id, prefix, padding, reset FROM sequences WHERE company_id = ? AND key = ?')
    .get(company.id, 'contacts.contact')
  const period = sequence.reset === 'yearly' ? String(new Date().getUTCFullYear()) : ''
  const counter = database
    .prepare('SELECT last_value FROM sequence_counters WHERE sequence_id = ? AND period = ?')
    .get(sequence.id, period)
  let last = counter?.last_value ?? 0

  const insert = database.prepare(`INSERT INTO contacts (company_id, code, kind, name, sort_name,
    search_text, is_customer, is_supplier, email, phone, addresses, tags, owner_id, created_at,
    updated_at) VALUES (@companyId, @code, @kind, @name, @sortName, @searchText, @isCustomer,
    @isSupplier, @email, @phone, @addresses, @tags, @ownerId, @now, @now)`)
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
  const batch = database.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      last += 1
      const person = i % 3 === 0
      const first = FIRST_NAMES[i % FIRST_NAMES.length]
      const family = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]
      const trade = TRADES[i % TRADES.length]
      const [postalCode, city] = CITIES[Math.floor(i / 7) % CITIES.length]
      const name = person ? `${first} ${family}` : `${trade} ${family} ${city}`
      const code = `${sequence.prefix.replaceAll('{YYYY}', period)}${String(last).padStart(sequence.padding, '0')}`
      const email = `contact${i}@${normalize(family).replaceAll(' ', '')}.example.fr`
      const phone = `02 99 ${String(i % 100).padStart(2, '0')} ${String(i % 97).padStart(2, '0')} 00`
      const tags = TAGS[i % TAGS.length]
      const address = { type: 'billing', line1: `${1 + (i % 120)} rue de la Mairie`, line2: null }
      insert.run({
        companyId: company.id,
        code,
        kind: person ? 'person' : 'company',
        name,
        sortName: normalize(name),
        searchText: normalize(
          [name, code, email, phone, `${postalCode} ${city}`, ...tags].join(' ')
        ),
        isCustomer: i % 4 === 0 ? 0 : 1,
        isSupplier: i % 4 === 0 ? 1 : 0,
        email,
        phone,
        addresses: JSON.stringify([{ ...address, postalCode, city, country: 'FR' }]),
        tags: JSON.stringify(tags),
        ownerId: owner.id,
        now,
      })
    }
  })
  const started = performance.now()
  for (let from = 0; from < settings.contacts; from += 10_000) {
    batch(from, Math.min(from + 10_000, settings.contacts))
  }
  // The numbering series goes on after the seeded codes.
  database
    .prepare(
      `INSERT INTO sequence_counters (sequence_id, period, last_value) VALUES (?, ?, ?)
       ON CONFLICT (sequence_id, period) DO UPDATE SET last_value = excluded.last_value`
    )
    .run(sequence.id, period, last)
  database.close()
  step(`${settings.contacts} contacts inserted in ${Math.round(performance.now() - started)} ms`)
}

mkdirSync('tmp', { recursive: true })
if (only === 'stock') {
  // The stock part has its own database.
} else if (process.env.BENCH_RESEED || contactCount() < settings.contacts) seed()
else {
  step(`reusing ${sqliteFile} (${contactCount()} contacts; BENCH_RESEED=1 rebuilds it)`)
  // A database kept from an earlier run gets the migrations added since.
  run(['ace.js', 'app:prepare'], 'node ace app:prepare')
}

function createToken(what, env = appEnv) {
  return run(
    ['ace.js', 'token:create', '--email', DEMO_LOGIN.email, '--name', `bench-${Date.now()}`],
    what,
    env
  )
    .trim()
    .split('\n')
    .at(-1)
    .trim()
}
const token = only === 'stock' ? '' : createToken('node ace token:create')

/* ------------------------------------------------------------------ build */

if (!process.env.BENCH_SKIP_BUILD || !existsSync('build/bin/server.js')) {
  step('building for production (node ace build)')
  // Type errors are the type-check's business, not the benchmark's.
  run(['ace.js', 'build', '--ignore-ts-errors'], 'node ace build')
}
// The build runs on the project's own dependencies rather than a second install.
if (!existsSync('build/node_modules')) symlinkSync('../node_modules', 'build/node_modules')

/* ---------------------------------------------------------------- servers */

const children = []
function start(args, env, cwd = root) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] })
  children.push(child)
  return child
}
function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
}
process.on('exit', stopAll)
process.on('SIGINT', () => process.exit(130))

async function waitFor(url, child) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`)
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await sleep(100)
  }
  throw new Error(`${url} did not answer in 30 s`)
}

step('starting the production build and the node:http hello server')
const bootStarted = performance.now()
const appServer =
  only === 'stock'
    ? null
    : start(
        ['bin/server.js'],
        { ...appEnv, APP_KEY: appKey, SQLITE_FILE: `../${sqliteFile}` },
        `${root}build`
      )
if (appServer) await waitFor(`${appUrl}/health/live`, appServer)
const bootMs = Math.round(performance.now() - bootStarted)
const helloServer = start(['bench/hello.js'], { ...process.env, PORT: String(helloPort) })
await waitFor(helloUrl, helloServer)

/* ---------------------------------------------------------- signing in */

/** Signs in through the login form as the demo manager; the session cookie. */
async function signIn(url) {
  const jar = new Map()
  const keepCookies = (response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const index = pair.indexOf('=')
      jar.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  keepCookies(await fetch(`${url}/login`))
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'cookie': cookieHeader(),
      'x-xsrf-token': decodeURIComponent(jar.get('XSRF-TOKEN') ?? ''),
    },
    body: new URLSearchParams(DEMO_LOGIN).toString(),
  })
  keepCookies(login)
  if (login.status !== 302 || login.headers.get('location') !== '/') {
    throw new Error(`Signing in failed: ${login.status} ${await login.text()}`)
  }
  const name = [...jar.keys()].find((key) => key.endsWith('charpente-session'))
  return `${name}=${jar.get(name)}`
}
const sessionCookie = only === 'stock' ? '' : await signIn(appUrl)

/** The Inertia page version, for X-Inertia visits. */
function inertiaVersion(html) {
  const found = /&quot;version&quot;:&quot;([^&]+)&quot;|"version":"([^"]+)"/.exec(html)
  return found?.[1] ?? found?.[2] ?? ''
}

/**
 * The once-props a page handed the client (the translation table): on its
 * next visits the Inertia client says it holds them, and they are not sent.
 */
function onceKeys(html) {
  // Entries of the page's `onceProps`: "<key>":{"prop":…}, HTML-escaped in the page.
  const entry = /(?:&quot;|")([^&"]+)(?:&quot;|"):\{(?:&quot;|")prop(?:&quot;|")/g
  return [...html.matchAll(entry)].map((found) => found[1]).join(',')
}

/* ------------------------------------------------------------------ stock */

/*
 * The stock part runs on its own database with the stock module enabled: the
 * SQLite file, then a PostgreSQL database when BENCH_STOCK_PG_DATABASE names
 * one. Each run is seeded once (kept between runs), its ledger checked with
 * stock:verify, then measured; a failed invariant fails the whole bench.
 */
const stockResults = {}
const stockFailures = []

function loadAverage() {
  return loadavg().map((value) => Number(value.toFixed(2)))
}

function verifyStock(env) {
  const started = performance.now()
  const verify = spawnSync(process.execPath, ['ace.js', 'stock:verify', '--json'], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const ms = Math.round(performance.now() - started)
  let report = null
  try {
    report = JSON.parse(verify.stdout.slice(verify.stdout.indexOf('{')))
  } catch {}
  if (!report) {
    return {
      ok: false,
      ms,
      summary: `no report (exit ${verify.status}) ${verify.stderr.slice(0, 500)}`,
    }
  }
  const mismatches = report.mismatches.length
  return {
    ok: verify.status === 0 && mismatches === 0,
    ms,
    levels: report.levels,
    articles: report.articles,
    lines: report.lines,
    mismatches,
    summary:
      `${report.levels} levels, ${report.articles} articles, ${report.lines} lines: ` +
      `${mismatches} mismatch(es)` +
      (mismatches ? ` — ${JSON.stringify(report.mismatches.slice(0, 3))}` : ''),
  }
}

async function stockSuite({ engine, env, open, reset }) {
  const results = { engine }
  stockResults[engine] = results
  const fail = (what) => {
    stockFailures.push(`${engine}: ${what}`)
    console.log(`  !! ${what}`)
  }
  const seeded = await prepareStock({
    articles: settings.stockArticles,
    movements: settings.stockMovements,
    step,
    login: DEMO_LOGIN,
    open,
    reset,
    prepare: (demo) =>
      run(
        ['ace.js', 'app:prepare', ...(demo ? ['--demo'] : [])],
        `node ace app:prepare (stock, ${engine})`,
        env
      ),
  })
  if (seeded) {
    step('node ace stock:verify on the seeded ledger')
    results.seedVerify = verifyStock(env)
    console.log(`  ${results.seedVerify.summary} (${results.seedVerify.ms} ms)`)
    if (!results.seedVerify.ok) fail(`stock:verify after seeding: ${results.seedVerify.summary}`)
  }
  const database = await open()
  // The module's settings as the kernel keeps them: only the fields someone saved.
  const saved = await database.all(
    `SELECT "values" AS saved FROM module_settings
     WHERE module = 'stock' AND company_id = (SELECT min(id) FROM companies)`
  )
  if (saved.some((row) => JSON.parse(row.saved).allowNegative === true)) {
    throw new Error('The bench company allows negative stock: the posting runs need it off')
  }
  const stockToken = createToken(`node ace token:create (stock, ${engine})`, env)
  const stockPort = await freePort()
  const stockUrl = `http://127.0.0.1:${stockPort}`
  const stockServer = start(
    ['bin/server.js'],
    {
      ...env,
      APP_KEY: appKey,
      ...(env.DB_CONNECTION === 'sqlite' ? { SQLITE_FILE: `../${stockFile}` } : {}),
      PORT: String(stockPort),
      APP_URL: stockUrl,
    },
    `${root}build`
  )
  await waitFor(`${stockUrl}/health/live`, stockServer)
  const stockCookie = await signIn(stockUrl)
  const fixtures = await stockFixtures(database)
  results.data = { ...fixtures, articleIds: undefined }
  step(
    `stock data (${engine}): ${fixtures.articles} articles, ${fixtures.movements} documents ` +
      `(${Object.entries(fixtures.byType)
        .map(([type, n]) => `${n} ${type}s`)
        .join(', ')}), ${fixtures.levels} levels; article ${fixtures.articleId} has ` +
      `${fixtures.articleLines} movement lines`
  )
  const stockApi = { authorization: `Bearer ${stockToken}`, accept: 'application/json' }
  const articlePath = `/stock/articles/${fixtures.articleId}`
  const firstArticle = await fetch(`${stockUrl}${articlePath}`, {
    headers: { cookie: stockCookie },
  })
  const articleHtml = await firstArticle.text()
  if (firstArticle.status !== 200 || !articleHtml.includes('stock\\/show')) {
    throw new Error(`The article page did not render (${firstArticle.status})`)
  }
  const visit = (path) => ({
    url: `${stockUrl}${path}`,
    headers: {
      'cookie': stockCookie,
      'x-inertia': 'true',
      'x-inertia-version': inertiaVersion(articleHtml),
      'x-requested-with': 'XMLHttpRequest',
    },
  })
  const stockTargets = [
    {
      key: 'stockLevels',
      label: `stock levels, API page 1 (token, ${PAGE_SIZE} rows)`,
      url: `${stockUrl}/api/v1/stock/levels?limit=${PAGE_SIZE}`,
      headers: stockApi,
    },
    { key: 'stockIndex', label: 'stock page, Inertia visit (session)', ...visit('/stock') },
    {
      key: 'stockArticle',
      label: `article page, Inertia visit (${fixtures.articleLines} lines)`,
      ...visit(articlePath),
    },
    {
      key: 'stockArticleHtml',
      label: 'article page, HTML (session)',
      url: `${stockUrl}${articlePath}`,
      headers: { cookie: stockCookie },
    },
    {
      key: 'stockArticleApi',
      label: 'article, API (token)',
      url: `${stockUrl}/api/v1/stock/articles/${fixtures.articleId}`,
      headers: stockApi,
    },
  ].map((target) => ({ ...target, server: stockServer }))
  for (const target of stockTargets) {
    const check = await fetch(target.url, { headers: target.headers })
    const body = await check.text()
    if (check.status !== 200) {
      throw new Error(`${target.label}: ${check.status} before the run\n${body.slice(0, 500)}`)
    }
  }
  console.log(
    `\nStock (${engine}): autocannon, ${settings.connections} connections, ` +
      `${settings.duration} s per target (after ${settings.warmup} s of warm-up), ` +
      `Node ${process.versions.node}\n`
  )
  for (const target of stockTargets) {
    if (settings.warmup > 0) await load(target, settings.warmup, false)
    const loadBefore = loadAverage()
    results[target.key] = { ...(await load(target, settings.duration, true)), loadBefore }
    console.log(`${describeLoad(target, results[target.key])}  load ${loadBefore.join(' ')}`)
  }

  console.log(
    `\nStock (${engine}): ${settings.stockConnections} clients posting at once, ` +
      `${settings.duration} s a run; invariants and stock:verify after each`
  )
  results.posting = {}
  const kinds = ['receipts', 'issues', 'transfers', 'mixed']
  let pace = 0
  for (const [offset, kind] of kinds.entries()) {
    const loadBefore = loadAverage()
    const r = await measurePosting({
      kind,
      api: { url: stockUrl, token: stockToken },
      database,
      connections: settings.stockConnections,
      duration: settings.duration,
      contendedUnits: settings.stockContended || undefined,
      pace,
      offset,
      cpu: () => cpuMs(stockServer.pid),
      verify: () => verifyStock(env),
    })
    r.loadBefore = loadBefore
    if (kind === 'receipts') pace = r.documentsPerSecond
    results.posting[kind] = r
    console.log(`${describePosting(r)}\n  load average before the run: ${loadBefore.join(' ')}`)
    for (const c of r.checks.filter((item) => !item.ok)) fail(`${kind}: ${c.name}: ${c.detail}`)
  }
  stockServer.kill('SIGTERM')
  await database.close()
}

// BENCH_STOCK_ENGINES=pg measures PostgreSQL alone.
const stockEngines = (
  process.env.BENCH_STOCK_ENGINES ?? (process.env.BENCH_STOCK_PG_DATABASE ? 'sqlite,pg' : 'sqlite')
).split(',')
if (withStock) {
  const stockEnv = { ...appEnv, SQLITE_FILE: stockFile, MODULES: 'contacts,stock' }
  if (stockEngines.includes('sqlite')) {
    await stockSuite({
      engine: 'sqlite',
      env: stockEnv,
      open: () => sqliteDatabase(stockFile),
      reset: removeStockFile,
    })
  }
  if (stockEngines.includes('pg')) {
    if (!process.env.BENCH_STOCK_PG_DATABASE)
      throw new Error('Name the database: BENCH_STOCK_PG_DATABASE')
    const pgConfig = {
      host: process.env.DB_HOST ?? '127.0.0.1',
      port: Number(process.env.DB_PORT ?? 5432),
      user: process.env.DB_USER ?? 'postgres',
      password: process.env.DB_PASSWORD || undefined,
      database: process.env.BENCH_STOCK_PG_DATABASE,
    }
    await stockSuite({
      engine: 'pg',
      env: {
        ...stockEnv,
        DB_CONNECTION: 'pg',
        DB_HOST: pgConfig.host,
        DB_PORT: String(pgConfig.port),
        DB_USER: pgConfig.user,
        DB_PASSWORD: process.env.DB_PASSWORD ?? '',
        DB_DATABASE: pgConfig.database,
      },
      open: () => pgDatabase(pgConfig),
      // A reseed starts from an empty database.
      reset: async () => {
        const database = await pgDatabase(pgConfig)
        await database.all('DROP SCHEMA public CASCADE')
        await database.all('CREATE SCHEMA public')
        await database.close()
      },
    })
  }
  if (stockFailures.length) {
    console.log(`\nStock: ${stockFailures.length} invariant(s) FAILED`)
    for (const failure of stockFailures) console.log(`  ${failure}`)
  }
}

if (only === 'stock') {
  writeFileSync(
    'tmp/bench-stock.json',
    JSON.stringify({ date: new Date().toISOString(), settings, results: stockResults }, null, 2)
  )
  console.log('\nFigures saved to tmp/bench-stock.json')
  stopAll()
  process.exit(stockFailures.length ? 1 : 0)
}

/* -------------------------------------------------------------- numbering */

const numberingConnections = Number(process.env.BENCH_NUMBERING_CONNECTIONS ?? 200)
const numberingResults = {}
// BENCH_ONLY=lists measures the list targets alone.
const withNumbering = only !== 'lists'

/** The counter period of a series now (UTC: close enough for a run that lasts seconds). */
function periodOf(reset) {
  const now = new Date().toISOString()
  return reset === 'yearly' ? now.slice(0, 4) : reset === 'monthly' ? now.slice(0, 7) : ''
}

/** The demo company's contact series and contacts, read with the query `ask` runs. */
function numberingDatabase(ask) {
  const series = async () => {
    const [company] = await ask('SELECT id FROM companies ORDER BY id LIMIT 1')
    const [sequence] = await ask(
      'SELECT id, reset FROM sequences WHERE company_id = ? AND key = ?',
      [company.id, 'contacts.contact']
    )
    return { companyId: company.id, sequence }
  }
  return {
    async state() {
      const { companyId, sequence } = await series()
      const [counter] = await ask(
        'SELECT last_value FROM sequence_counters WHERE sequence_id = ? AND period = ?',
        [sequence.id, periodOf(sequence.reset)]
      )
      const [contacts] = await ask('SELECT MAX(id) AS id FROM contacts WHERE company_id = ?', [
        companyId,
      ])
      return { lastId: Number(contacts?.id ?? 0), lastValue: Number(counter?.last_value ?? 0) }
    },
    async codesAfter(id) {
      const { companyId } = await series()
      const rows = await ask('SELECT code FROM contacts WHERE company_id = ? AND id > ?', [
        companyId,
        id,
      ])
      return rows.map((row) => row.code)
    },
    async deleteAfter(id) {
      const { companyId } = await series()
      await ask('DELETE FROM contacts WHERE company_id = ? AND id > ?', [companyId, id])
    },
  }
}

if (withNumbering) {
  console.log(
    `\nNumbering: ${numberingConnections} clients creating contacts at once, ${settings.duration} s`
  )
  const sqliteHandle = new Database(sqliteFile)
  sqliteHandle.pragma('busy_timeout = 10000')
  numberingResults.sqlite = await measureNumbering({
    url: appUrl,
    token,
    connections: numberingConnections,
    duration: settings.duration,
    cpu: () => cpuMs(appServer.pid),
    database: numberingDatabase(async (sql, params = []) => {
      const statement = sqliteHandle.prepare(sql)
      return statement.reader ? statement.all(...params) : (statement.run(...params), [])
    }),
  })
  sqliteHandle.close()
  console.log(describeNumbering('contact creations, SQLite', numberingResults.sqlite))

  if (process.env.BENCH_PG_DATABASE) {
    const pgPort = await freePort()
    const pgEnv = {
      ...appEnv,
      DB_CONNECTION: 'pg',
      DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
      DB_PORT: process.env.DB_PORT ?? '5432',
      DB_USER: process.env.DB_USER ?? 'postgres',
      DB_PASSWORD: process.env.DB_PASSWORD ?? '',
      DB_DATABASE: process.env.BENCH_PG_DATABASE,
      PORT: String(pgPort),
      APP_URL: `http://127.0.0.1:${pgPort}`,
    }
    step(`preparing PostgreSQL database ${pgEnv.DB_DATABASE}`)
    run(['ace.js', 'app:prepare', '--demo'], 'node ace app:prepare --demo (PostgreSQL)', pgEnv)
    const pgToken = run(
      ['ace.js', 'token:create', '--email', DEMO_LOGIN.email, '--name', `bench-${Date.now()}`],
      'node ace token:create (PostgreSQL)',
      pgEnv
    )
      .trim()
      .split('\n')
      .at(-1)
      .trim()
    const pgServer = start(['bin/server.js'], { ...pgEnv, APP_KEY: appKey }, `${root}build`)
    await waitFor(`${pgEnv.APP_URL}/health/live`, pgServer)
    const client = new pg.Client({
      host: pgEnv.DB_HOST,
      port: Number(pgEnv.DB_PORT),
      user: pgEnv.DB_USER,
      password: pgEnv.DB_PASSWORD || undefined,
      database: pgEnv.DB_DATABASE,
    })
    await client.connect()
    numberingResults.pg = await measureNumbering({
      url: pgEnv.APP_URL,
      token: pgToken,
      connections: numberingConnections,
      duration: settings.duration,
      cpu: () => cpuMs(pgServer.pid),
      database: numberingDatabase(async (sql, params = []) => {
        let n = 0
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${(n += 1)}`),
            params
          )
        ).rows
      }),
    })
    await client.end()
    pgServer.kill('SIGTERM')
    console.log(describeNumbering('contact creations, PostgreSQL', numberingResults.pg))
  }
}

if (process.env.BENCH_ONLY === 'numbering') {
  writeFileSync(
    'tmp/bench-numbering.json',
    JSON.stringify({ date: new Date().toISOString(), settings, results: numberingResults }, null, 2)
  )
  console.log('\nFigures saved to tmp/bench-numbering.json')
  stopAll()
  process.exit(0)
}

/* ------------------------------------------------------ the deep cursor */

/*
 * The cursor of a page deep in the list, found the way a client finds it:
 * following `meta.nextCursor` (100 rows a request) down to row BENCH_DEEP.
 */
const api = { authorization: `Bearer ${token}`, accept: 'application/json' }
let deepCursor = null
let position = 0
const chaseStarted = performance.now()
while (position < settings.deep) {
  const limit = Math.min(100, settings.deep - position)
  const query = new URLSearchParams({
    limit: String(limit),
    ...(deepCursor ? { cursor: deepCursor } : {}),
  })
  const response = await fetch(`${appUrl}/api/v1/contacts?${query}`, { headers: api })
  if (!response.ok) throw new Error(`API list failed: ${response.status} ${await response.text()}`)
  const body = await response.json()
  position += body.data.length
  deepCursor = body.meta.nextCursor
  if (!deepCursor) throw new Error(`The list ended at row ${position}, before row ${settings.deep}`)
}
const chaseMs = Math.round(performance.now() - chaseStarted)
step(
  `cursor of row ${settings.deep} reached in ${chaseMs} ms (${Math.ceil(settings.deep / 100)} requests)`
)

/* --------------------------------------------------------------- targets */

const pagePath = `/contacts?limit=${PAGE_SIZE}`
const firstPage = await fetch(`${appUrl}${pagePath}`, { headers: { cookie: sessionCookie } })
const html = await firstPage.text()
if (firstPage.status !== 200 || !html.includes('contacts\\/index')) {
  throw new Error(`The contacts page did not render for the signed-in user (${firstPage.status})`)
}

const targets = [
  { key: 'hello', label: 'node:http hello', url: helloUrl },
  {
    key: 'page',
    label: `contacts page, HTML (session, ${PAGE_SIZE} rows)`,
    url: `${appUrl}${pagePath}`,
    headers: { cookie: sessionCookie },
    budget: { against: 'hello', ratio: 0.1 },
  },
  {
    key: 'visit',
    label: `contacts page, Inertia visit (session, ${PAGE_SIZE} rows)`,
    url: `${appUrl}${pagePath}`,
    headers: {
      'cookie': sessionCookie,
      'x-inertia': 'true',
      'x-inertia-version': inertiaVersion(html),
      'x-inertia-except-once-props': onceKeys(html),
      'x-requested-with': 'XMLHttpRequest',
    },
    budget: { against: 'hello', ratio: 0.1 },
  },
  {
    key: 'api',
    label: `API list, page 1 (token, ${PAGE_SIZE} rows)`,
    url: `${appUrl}/api/v1/contacts?limit=${PAGE_SIZE}`,
    headers: api,
    budget: { against: 'hello', ratio: 0.15 },
  },
  {
    key: 'apiDeep',
    label: `API list, row ${settings.deep} (token, ${PAGE_SIZE} rows)`,
    url: `${appUrl}/api/v1/contacts?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(deepCursor)}`,
    headers: api,
  },
]

const responseBytes = {}
for (const target of targets) {
  const check = await fetch(target.url, { headers: target.headers })
  const body = await check.text()
  if (check.status !== 200) {
    throw new Error(`${target.label}: ${check.status} before the run\n${body.slice(0, 500)}`)
  }
  responseBytes[target.key] = Buffer.byteLength(body)
}
step(`response sizes: ${targets.map((t) => `${t.key} ${responseBytes[t.key]} bytes`).join(', ')}`)

/** CPU time (user + system, ms) a process has used so far; null off Linux. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

function describeLoad(target, r) {
  const problems = r.non2xx || r.errors ? `  !! ${r.non2xx} non-2xx, ${r.errors} errors` : ''
  const cpu = r.cpuPerRequest === null ? '' : `  cpu ${r.cpuPerRequest.toFixed(2)} ms/req`
  return (
    `${target.label.padEnd(52)} ${String(r.requestsPerSecond).padStart(7)} req/s` +
    `  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms` +
    `${cpu}${problems}`
  )
}

/** One autocannon run; latencies kept per response, for exact percentiles. */
async function load(target, seconds, record) {
  const server = target.server ?? (target.key === 'hello' ? helloServer : appServer)
  const cpuBefore = cpuMs(server.pid)
  const latencies = []
  const instance = autocannon({
    url: target.url,
    headers: target.headers,
    connections: settings.connections,
    duration: seconds,
    // A slow answer is measured, not counted as an error at autocannon's 10 s default.
    timeout: 60,
  })
  if (record) instance.on('response', (_client, _status, _bytes, time) => latencies.push(time))
  const result = await instance
  const cpuAfter = cpuMs(server.pid)
  latencies.sort((a, b) => a - b)
  // NaN when no answer came back within a (very short) run.
  const at = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    cpuPerRequest:
      cpuBefore === null || cpuAfter === null
        ? null
        : (cpuAfter - cpuBefore) / result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

console.log(
  `\nautocannon: ${settings.connections} connections, ${settings.duration} s per target` +
    ` (after ${settings.warmup} s of warm-up), Node ${process.versions.node}\n`
)
const results = {}
for (const target of targets) {
  if (settings.warmup > 0) await load(target, settings.warmup, false)
  results[target.key] = await load(target, settings.duration, true)
  const r = results[target.key]
  const ratio =
    target.key === 'hello'
      ? ''
      : ` ${((r.requestsPerSecond / results.hello.requestsPerSecond) * 100).toFixed(1)} % of hello`
  console.log(`${describeLoad(target, r)}${ratio}`)
}

/* ---------------------------------------------------------------- verdict */

console.log('\nBudget (DESIGN.md "Performance budget")')
for (const target of targets.filter((t) => t.budget)) {
  const ratio =
    results[target.key].requestsPerSecond / results[target.budget.against].requestsPerSecond
  const verdict = ratio >= target.budget.ratio ? 'ok' : 'SHORT'
  console.log(
    `  ${target.label.padEnd(52)} ${(ratio * 100).toFixed(1).padStart(5)} % of hello` +
      ` (target ≥ ${target.budget.ratio * 100} %) ${verdict}`
  )
}
const depth = results.apiDeep.p50 / results.api.p50
const depthThroughput = results.api.requestsPerSecond / results.apiDeep.requestsPerSecond
console.log(
  `  deep page vs page 1 (row ${settings.deep})`.padEnd(56) +
    ` ${depth.toFixed(2)}× the p50 time, ${depthThroughput.toFixed(2)}× by throughput` +
    ` (target ≤ 1.2×) ${Math.max(depth, depthThroughput) <= 1.2 ? 'ok' : 'SHORT'}`
)
if (results.hello.cpuPerRequest) {
  console.log('  by server CPU time per request (hello / target), unaffected by other load:')
  for (const target of targets.filter((t) => t.budget)) {
    const ratio = results.hello.cpuPerRequest / results[target.key].cpuPerRequest
    console.log(`    ${target.label.padEnd(50)} ${(ratio * 100).toFixed(1).padStart(5)} %`)
  }
}
console.log(`  application boot (production build, to first answer): ${bootMs} ms`)

writeFileSync(
  'tmp/bench-results.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      settings,
      bootMs,
      responseBytes,
      results: { ...results, numbering: numberingResults, stock: stockResults },
    },
    null,
    2
  )
)
console.log('\nFigures saved to tmp/bench-results.json')
stopAll()
process.exit(stockFailures.length ? 1 : 0)
