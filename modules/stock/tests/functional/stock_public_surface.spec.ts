import { test } from '@japa/runner'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { resolveAccess, forgetAccess } from '#kernel/security/access'
import { memberOf } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'
import { verifyLedger } from '../../services/verify.js'

/**
 * A test-only module that depends on stock, as maintenance will: it
 * imports the stock module through its public surface (index.ts) only and
 * issues parts for its own records ("jobs").
 */
function writeFixtureModule() {
  const root = app.makePath('tmp', `fixture-stock-consumer-${process.pid}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, 'jobs'), { recursive: true })
  writeFileSync(
    join(root, 'jobs', 'module.ts'),
    `export default {
  name: 'jobs',
  version: '1.0.0',
  label: { fr: 'Travaux', en: 'Jobs' },
  description: { fr: 'Travaux', en: 'Jobs' },
  depends: ['stock'],
}
`
  )
  writeFileSync(
    join(root, 'jobs', 'parts.ts'),
    `import type { Access } from '#kernel/security/access'
import * as stock from '#modules/stock/index'

const job = (id: number) => ({ model: 'jobs.job', id })

export function reserveFor(access: Access, jobId: number, articleId: number, locationId: number, quantity: number) {
  return stock.reserve(access, { reference: job(jobId), articleId, locationId, quantity })
}

export function releaseFor(access: Access, jobId: number, articleId: number, locationId: number) {
  return stock.unreserve(access, { reference: job(jobId), articleId, locationId })
}

export async function consume(access: Access, jobId: number, articleId: number, fromLocationId: number, quantity: number) {
  try {
    const issued = await stock.issueFor(access, {
      reference: job(jobId),
      fromLocationId,
      lines: [{ articleId, quantity }],
      reason: 'Job ' + jobId,
    })
    return { ok: true as const, number: issued.number, costCents: issued.totalCostCents }
  } catch (error) {
    if (error instanceof stock.InsufficientStockError) {
      return { ok: false as const, available: error.available }
    }
    throw error
  }
}

export function partsCost(companyId: number, jobId: number) {
  return stock.costFor(companyId, job(jobId))
}

export function levels(access: Access, articleId: number) {
  return stock.readLevels(access, { articleId })
}

export function held(access: Access, jobId: number) {
  return stock.reservationsOf(access, job(jobId))
}
`
  )
  return { root, file: join(root, 'jobs', 'parts.ts') }
}

test.group('Stock public surface, used by a module that depends on stock', (group) => {
  let fixture: ReturnType<typeof writeFixtureModule>
  group.setup(() => {
    fixture = writeFixtureModule()
    return () => rmSync(fixture.root, { recursive: true, force: true })
  })

  test('reserve, issue for a record (releasing its reservation), cost, unreserve, levels', async ({
    client,
    assert,
  }) => {
    const parts = await import(pathToFileURL(fixture.file).href)
    const { api, warehouse, article, company, user } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 10000,
      unitCost: 450,
    })
    forgetAccess()
    const access = (await resolveAccess(user.id, company.id))!

    assert.deepEqual(await parts.reserveFor(access, 7, article.id, warehouse.id, 3000), {
      reserved: 3000,
    })
    let [level] = await parts.levels(access, article.id)
    assert.include(level, { quantity: 10000, reserved: 3000, available: 7000 })

    // Another job cannot take the reserved units, nor reserve beyond what is free.
    assert.deepEqual(await parts.consume(access, 8, article.id, warehouse.id, 8000), {
      ok: false,
      available: 7000,
    })
    await assert.rejects(() => parts.reserveFor(access, 8, article.id, warehouse.id, 7500))

    // Job 7 issues 2 of its 3 reserved units: 2 × 4,50 €.
    const issued = await parts.consume(access, 7, article.id, warehouse.id, 2000)
    assert.isTrue(issued.ok)
    assert.match(issued.number, /^BS-\d{4}-00001$/)
    assert.equal(issued.costCents, 900)
    assert.equal(await parts.partsCost(company.id, 7), 900)
    // Called outside any request, the document's audit entry still names its company and actor.
    const movement = await db
      .from('stock_movements')
      .where({ company_id: company.id, number: issued.number })
      .first()
    const entry = await db
      .from('audit_logs')
      .where({ model: 'stock.movement', record_id: String(movement.id) })
      .first()
    assert.include(entry, { company_id: company.id, actor_id: user.id, event: 'created' })
    assert.deepEqual(await parts.held(access, 7), [
      { articleId: article.id, locationId: warehouse.id, quantity: 1000 },
    ])
    ;[level] = await parts.levels(access, article.id)
    assert.include(level, { quantity: 8000, reserved: 1000, available: 7000 })

    // The rest goes back.
    assert.deepEqual(await parts.releaseFor(access, 7, article.id, warehouse.id), { reserved: 0 })
    assert.deepEqual(await parts.held(access, 7), [])
    ;[level] = await parts.levels(access, article.id)
    assert.include(level, { quantity: 8000, reserved: 0, available: 8000 })
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('without stock.movement.create the surface refuses (403)', async ({ client, assert }) => {
    const parts = await import(pathToFileURL(fixture.file).href)
    const { warehouse, article, company } = await stockSite(client)
    const portal = await memberOf(company.id, 'client')
    forgetAccess()
    const access = (await resolveAccess(portal.id, company.id))!
    await assert.rejects(
      () => parts.consume(access, 1, article.id, warehouse.id, 1000),
      /stock.movement.create/
    )
  })
})
