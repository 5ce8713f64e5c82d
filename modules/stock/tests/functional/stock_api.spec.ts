import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { stockSite } from '../helpers.js'
import { verifyLedger } from '../../services/verify.js'

test.group('Stock API: articles and locations', () => {
  test('creates, reads, lists and updates an article', async ({ client, assert }) => {
    const { api, article } = await stockSite(client)
    assert.equal(article.reference, 'ROUL-6204')
    assert.equal(article.minStock, 5000)
    assert.equal(article.quantityOnHand, 0)

    const shown = await api.get(`/articles/${article.id}`)
    shown.assertStatus(200)
    assert.equal(shown.body().data.name, 'Roulement 6204 2RS')

    await api.post('/articles', { reference: 'FILT-AIR', name: 'Filtre à air', barcode: '999' })
    const byBarcode = await api.get('/articles?search=3700000062040')
    assert.deepEqual(
      byBarcode.body().data.map((a: any) => a.reference),
      ['ROUL-6204']
    )
    const byName = await api.get('/articles?search=filtre')
    assert.deepEqual(
      byName.body().data.map((a: any) => a.reference),
      ['FILT-AIR']
    )
    const byCategory = await api.get('/articles?category=Roulements')
    assert.lengthOf(byCategory.body().data, 1)
    const paged = await api.get('/articles?limit=1')
    assert.lengthOf(paged.body().data, 1)
    const next = await api.get(`/articles?limit=1&cursor=${paged.body().meta.nextCursor}`)
    assert.equal(next.body().data[0].reference, 'ROUL-6204')
    assert.isNull(next.body().meta.nextCursor)

    const updated = await api.patch(`/articles/${article.id}`, { name: 'Roulement 6204' })
    updated.assertStatus(200)
    assert.equal(updated.body().data.name, 'Roulement 6204')
  })

  test('refuses a duplicate reference and bad input with 422 field errors', async ({
    client,
    assert,
  }) => {
    const { api } = await stockSite(client)
    const duplicate = await api.post('/articles', { reference: 'ROUL-6204', name: 'Again' })
    duplicate.assertStatus(422)
    assert.equal(duplicate.body().errors[0].field, 'reference')
    assert.equal(duplicate.body().errors[0].rule, 'unique')

    const bad = await api.post('/articles', { name: '', minStock: -1 })
    bad.assertStatus(422)
    const fields = bad.body().errors.map((e: any) => e.field)
    assert.includeMembers(fields, ['reference', 'name', 'minStock'])
  })

  test('references are unique per company, not across companies', async ({ client, assert }) => {
    await stockSite(client)
    // The second company's article takes the same reference.
    const other = await stockSite(client)
    assert.equal(other.article.reference, 'ROUL-6204')
  })

  test('suppliers are contacts of the company, checked through the contacts module', async ({
    client,
    assert,
  }) => {
    const { api, token } = await stockSite(client)
    const supplier = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'SKF France', isSupplier: true })
    supplier.assertStatus(201)
    const created = await api.post('/articles', {
      reference: 'COUR-A42',
      name: 'Courroie A42',
      suppliers: [
        { contactId: supplier.body().data.id, supplierReference: 'A42', priceCents: 1290 },
      ],
    })
    created.assertStatus(201)
    assert.deepEqual(created.body().data.suppliers, [
      { contactId: supplier.body().data.id, supplierReference: 'A42', priceCents: 1290 },
    ])
    const unknown = await api.post('/articles', {
      reference: 'COUR-A43',
      name: 'Courroie A43',
      suppliers: [{ contactId: 999999 }],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'suppliers.0.contactId')

    // The contact is now referenced: deleting it archives it instead.
    const removed = await client
      .delete(`/api/v1/contacts/${supplier.body().data.id}`)
      .bearerToken(token)
    removed.assertStatus(200)
    assert.isTrue(removed.body().data.archived)
  })

  test('locations: warehouse, shelf in a warehouse, van held by a technician', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, company } = await stockSite(client)
    const technician = await memberOf(company.id, 'technician')
    const shelf = await api.post('/locations', {
      name: 'Allée A',
      kind: 'shelf',
      parentId: warehouse.id,
    })
    shelf.assertStatus(201)
    const orphan = await api.post('/locations', { name: 'Allée B', kind: 'shelf' })
    orphan.assertStatus(422)
    assert.equal(orphan.body().errors[0].field, 'parentId')
    const van = await api.post('/locations', {
      name: 'Camionnette Paul',
      kind: 'van',
      holderUserId: technician.id,
    })
    van.assertStatus(201)
    assert.equal(van.body().data.holderUserId, technician.id)
    const duplicate = await api.post('/locations', { name: 'Camionnette Paul', kind: 'van' })
    duplicate.assertStatus(422)
    const bad = await api.post('/locations', { name: 'X', kind: 'boat' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'kind')
    const list = await api.get('/locations')
    assert.deepEqual(
      list.body().data.map((l: any) => l.name),
      ['Magasin central', 'Allée A', 'Camionnette Paul']
    )

    // A member whose location scope is `own` sees the van they hold, nothing else.
    const { user: driver } = await memberWithGrants(company.id, [
      { permission: 'stock.location.read', scope: 'own' },
    ])
    await api.post('/locations', { name: 'Camionnette Léa', kind: 'van', holderUserId: driver.id })
    const theirs = await client.get('/api/v1/stock/locations').bearerToken(await tokenFor(driver))
    theirs.assertStatus(200)
    assert.deepEqual(
      theirs.body().data.map((l: any) => l.name),
      ['Camionnette Léa']
    )
    ;(
      await client
        .get(`/api/v1/stock/locations/${warehouse.id}`)
        .bearerToken(await tokenFor(driver))
    ).assertStatus(404)
  })
})

test.group('Stock API: movements', () => {
  test('receive 10, transfer 3 to a van, issue 2 from the van: levels, value, history', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const van = (await api.post('/locations', { name: 'Camionnette 1', kind: 'van' })).body().data
    const year = new Date().getFullYear()

    const receipt = await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      lines: [{ articleId: article.id, quantity: 10000, unitCost: 450 }],
      reason: 'Commande fournisseur',
    })
    receipt.assertStatus(201)
    assert.equal(receipt.body().data.number, `BE-${year}-00001`)
    assert.equal(receipt.body().data.totalCostCents, 4500)

    const transfer = await api.post('/movements', {
      type: 'transfer',
      articleId: article.id,
      quantity: 3000,
      fromLocationId: warehouse.id,
      toLocationId: van.id,
    })
    transfer.assertStatus(201)
    assert.equal(transfer.body().data.number, `BT-${year}-00001`)

    const issue = await api.post('/movements', {
      type: 'issue',
      articleId: article.id,
      quantity: 2000,
      fromLocationId: van.id,
      reason: 'Remplacement roulement pompe P3',
      reference: { model: 'maintenance.intervention', id: 42 },
    })
    issue.assertStatus(201)
    assert.equal(issue.body().data.number, `BS-${year}-00001`)
    // The issued parts carry their cost at the weighted average: 2 × 4,50 €.
    assert.equal(issue.body().data.lines[0].unitCostCents, 450)
    assert.equal(issue.body().data.totalCostCents, 900)
    assert.deepEqual(issue.body().data.reference, { model: 'maintenance.intervention', id: 42 })

    const levels = await api.get(`/levels?articleId=${article.id}`)
    assert.deepEqual(
      levels.body().data.map((l: any) => [l.locationName, l.quantity, l.valueCents]),
      [
        ['Magasin central', 7000, 3150],
        ['Camionnette 1', 1000, 450],
      ]
    )
    const shown = (await api.get(`/articles/${article.id}`)).body().data
    assert.equal(shown.quantityOnHand, 8000)
    assert.equal(shown.averageCostCents, 450)

    const valuation = (await api.get('/valuation')).body().data
    assert.equal(valuation.totalCents, 3600)

    const history = await api.get(`/movements?articleId=${article.id}`)
    assert.deepEqual(
      history.body().data.map((m: any) => m.number),
      [`BS-${year}-00001`, `BT-${year}-00001`, `BE-${year}-00001`]
    )
    const verified = await verifyLedger(company.id)
    assert.deepEqual(verified.mismatches, [])
  })

  test('receipts update the weighted average cost; adjustments take it', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const receive = (quantity: number, unitCost: number) =>
      api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId: article.id,
        quantity,
        unitCost,
      })
    ;(await receive(10000, 400)).assertStatus(201)
    ;(await receive(5000, 700)).assertStatus(201)
    // (10 × 400 + 5 × 700) / 15 = 500
    let shown = (await api.get(`/articles/${article.id}`)).body().data
    assert.equal(shown.averageCostCents, 500)
    ;(await receive(1000, 333)).assertStatus(201)
    // (15 × 500 + 1 × 333) / 16 = 489.56… → 490 (half up, to the cent)
    shown = (await api.get(`/articles/${article.id}`)).body().data
    assert.equal(shown.averageCostCents, 490)

    const lost = await api.post('/movements', {
      type: 'adjustment',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: -1500,
      reason: 'Casse',
    })
    lost.assertStatus(201)
    assert.match(lost.body().data.number, /^BA-\d{4}-00001$/)
    assert.equal(lost.body().data.totalCostCents, -735)
    shown = (await api.get(`/articles/${article.id}`)).body().data
    assert.equal(shown.quantityOnHand, 14500)
    assert.equal(shown.averageCostCents, 490)
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('an issue beyond the stock is a 409 that writes nothing and uses no number', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
      unitCost: 100,
    })
    const refused = await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2500,
    })
    refused.assertStatus(409)
    const [error] = refused.body().errors
    assert.equal(error.rule, 'insufficient_stock')
    assert.equal(error.available, 2000)
    assert.include(error.message, 'ROUL-6204')

    // A two-line document whose second line fails leaves the first unwritten too.
    const other = (await api.post('/articles', { reference: 'JOINT-1', name: 'Joint' })).body().data
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: other.id,
      quantity: 1000,
    })
    const partial = await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      lines: [
        { articleId: other.id, quantity: 1000 },
        { articleId: article.id, quantity: 5000 },
      ],
    })
    partial.assertStatus(409)
    const levels = (await api.get(`/levels?locationId=${warehouse.id}`)).body().data
    assert.deepEqual(
      levels.map((l: any) => l.quantity),
      [2000, 1000]
    )
    const issues = await db
      .from('stock_movements')
      .where({ company_id: company.id, type: 'issue' })
      .count('* as total')
    assert.equal(Number(issues[0].total), 0)

    // The next issue takes number 1: the refusals consumed none.
    const ok = await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
    })
    ok.assertStatus(201)
    assert.match(ok.body().data.number, /^BS-\d{4}-00001$/)
  })

  test('the database CHECK refuses a negative level the service did not write', async ({
    client,
    assert,
  }) => {
    const { warehouse, article, company } = await stockSite(client)
    await assert.rejects(() =>
      db.table('stock_levels').insert({
        company_id: company.id,
        article_id: article.id,
        location_id: warehouse.id,
        quantity: -1,
        updated_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      })
    )
  })

  test('negative stock when the site allows it, and refused again once it does not', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company, token } = await stockSite(client)
    // The setting is declared in the manifest and kept by the kernel (/api/v1/settings/stock).
    const setNegative = (allowNegative: boolean) =>
      client.patch('/api/v1/settings/stock').bearerToken(token).json({ allowNegative })
    ;(await setNegative(true)).assertStatus(200)
    const issue = await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 3000,
    })
    issue.assertStatus(201)
    let levels = (await api.get(`/levels?articleId=${article.id}`)).body().data
    assert.equal(levels[0].quantity, -3000)

    ;(await setNegative(false)).assertStatus(200)
    // A receipt still lands on the negative level; no issue may lower it further.
    ;(
      await api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId: article.id,
        quantity: 1000,
        unitCost: 500,
      })
    ).assertStatus(201)
    const refused = await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 1000,
    })
    refused.assertStatus(409)
    assert.equal(refused.body().errors[0].available, -2000)
    levels = (await api.get(`/levels?articleId=${article.id}`)).body().data
    assert.equal(levels[0].quantity, -2000)
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('422 on malformed documents, per type', async ({ client, assert }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const cases: [object, string][] = [
      [{ type: 'receipt', articleId: article.id, quantity: 1000 }, 'toLocationId'],
      [{ type: 'issue', articleId: article.id, quantity: 1000 }, 'fromLocationId'],
      [
        {
          type: 'transfer',
          articleId: article.id,
          quantity: 1000,
          fromLocationId: warehouse.id,
          toLocationId: warehouse.id,
        },
        'toLocationId',
      ],
      [
        { type: 'issue', articleId: article.id, quantity: 0, fromLocationId: warehouse.id },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', articleId: article.id, quantity: -5, toLocationId: warehouse.id },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', articleId: 999999, quantity: 1000, toLocationId: warehouse.id },
        'lines.0.articleId',
      ],
      [
        { type: 'receipt', articleId: article.id, quantity: 1000, toLocationId: 999999 },
        'toLocationId',
      ],
      [{ type: 'theft', articleId: article.id, quantity: 1000 }, 'type'],
      [{ type: 'receipt', lines: [], toLocationId: warehouse.id }, 'lines'],
      [
        {
          type: 'issue',
          articleId: article.id,
          quantity: 1000,
          unitCost: 5,
          fromLocationId: warehouse.id,
        },
        'lines.0.unitCost',
      ],
    ]
    for (const [body, field] of cases) {
      const response = await api.post('/movements', body)
      assert.equal(response.status(), 422, JSON.stringify(body))
      assert.include(
        response.body().errors.map((e: any) => e.field),
        field,
        JSON.stringify(body)
      )
    }
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('another company’s articles and locations are unknown', async ({ client, assert }) => {
    const ours = await stockSite(client)
    const theirs = await stockSite(client)
    ;(await ours.api.get(`/articles/${theirs.article.id}`)).assertStatus(404)
    const response = await ours.api.post('/movements', {
      type: 'receipt',
      toLocationId: theirs.warehouse.id,
      articleId: theirs.article.id,
      quantity: 1000,
    })
    response.assertStatus(422)
    assert.includeMembers(
      response.body().errors.map((e: any) => e.field),
      ['toLocationId']
    )
  })

  test('without stock.movement.create a member cannot post', async ({ client }) => {
    const { company } = await stockSite(client)
    const portalUser = await memberOf(company.id, 'client')
    const response = await client
      .post('/api/v1/stock/movements')
      .bearerToken(await tokenFor(portalUser))
      .json({ type: 'receipt' })
    response.assertStatus(403)
  })
})

test.group('stock:verify', () => {
  test('run while documents are being posted, it sees each one whole: no mismatch reported', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const second = (
      await api.post('/articles', { reference: 'JOINT-20', name: 'Joint torique 20 mm', unit: 'u' })
    ).body().data
    const van = (await api.post('/locations', { name: 'Camionnette', kind: 'van' })).body().data
    const documents = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 2
        ? api.post('/movements', {
            type: 'transfer',
            fromLocationId: warehouse.id,
            toLocationId: van.id,
            lines: [{ articleId: article.id, quantity: 1000 }],
          })
        : api.post('/movements', {
            type: 'receipt',
            toLocationId: warehouse.id,
            lines: [
              { articleId: article.id, quantity: 2000, unitCost: 300 + i },
              { articleId: second.id, quantity: 1000, unitCost: 100 + i },
            ],
          })
    )
    const checks = Array.from({ length: 4 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 40)).then(() => verifyLedger(company.id))
    )
    const [posted, verified] = await Promise.all([Promise.all(documents), Promise.all(checks)])
    assert.isTrue(posted.every((response) => [201, 409].includes(response.status())))
    for (const result of verified) assert.deepEqual(result.mismatches, [])
    const final = await verifyLedger(company.id)
    assert.deepEqual(final.mismatches, [])
    assert.equal(final.articles, 2)
  })

  test('replays every article of the company: an average planted on the last one is caught', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const second = (
      await api.post('/articles', { reference: 'JOINT-20', name: 'Joint torique 20 mm', unit: 'u' })
    ).body().data
    for (const [id, cost] of [
      [article.id, 250],
      [second.id, 120],
      [article.id, 350],
    ]) {
      await api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId: id,
        quantity: 1000,
        unitCost: cost,
      })
    }
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
    await db.from('stock_articles').where('id', second.id).update({ average_cost_cents: 121 })
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [
      { kind: 'average', companyId: company.id, articleId: second.id, expected: 120, found: 121 },
    ])
  })

  test('finds the ledger consistent, then catches a planted inconsistency', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 4000,
      unitCost: 250,
    })
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])

    await db
      .from('stock_levels')
      .where({ article_id: article.id, location_id: warehouse.id })
      .update({ quantity: 5000 })
    const result = await verifyLedger(company.id)
    assert.deepInclude(result.mismatches, {
      kind: 'level',
      companyId: company.id,
      articleId: article.id,
      locationId: warehouse.id,
      expected: 4000,
      found: 5000,
    })

    await db
      .from('stock_levels')
      .where({ article_id: article.id, location_id: warehouse.id })
      .update({ quantity: 4000 })
    await db.from('stock_articles').where('id', article.id).update({ average_cost_cents: 999 })
    const cost = await verifyLedger(company.id)
    assert.deepEqual(cost.mismatches, [
      {
        kind: 'average',
        companyId: company.id,
        articleId: article.id,
        expected: 250,
        found: 999,
      },
    ])
    await db.from('stock_articles').where('id', article.id).update({ average_cost_cents: 250 })

    // A reserved quantity no reservation accounts for.
    await db
      .from('stock_levels')
      .where({ article_id: article.id, location_id: warehouse.id })
      .update({ reserved: 1000 })
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [
      {
        kind: 'reserved',
        companyId: company.id,
        articleId: article.id,
        locationId: warehouse.id,
        expected: 0,
        found: 1000,
      },
    ])
    await db
      .from('stock_levels')
      .where({ article_id: article.id, location_id: warehouse.id })
      .update({ reserved: 0 })
  })

  test('the command exits non-zero on a mismatch', async ({ client, assert }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 1000,
    })
    const ace = (await import('@adonisjs/core/services/ace')).default
    await ace.boot()
    const ok = await ace.exec('stock:verify', ['--company', String(company.id)])
    assert.equal(ok.exitCode, 0)

    await db.from('stock_articles').where('id', article.id).update({ quantity_on_hand: 7 })
    const bad = await ace.exec('stock:verify', ['--company', String(company.id)])
    assert.equal(bad.exitCode, 1)
    await db.from('stock_articles').where('id', article.id).update({ quantity_on_hand: 1000 })
  })
})

test.group('Stock API: concurrency', () => {
  test('50 concurrent issues of 1 unit against a stock of 10: exactly 10 succeed', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company, token } = await stockSite(client)
    ;(
      await api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId: article.id,
        quantity: 10000,
        unitCost: 450,
      })
    ).assertStatus(201)

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client
          .post('/api/v1/stock/movements')
          .bearerToken(token)
          .json({
            type: 'issue',
            fromLocationId: warehouse.id,
            articleId: article.id,
            quantity: 1000,
            reason: `Concurrent ${i}`,
          })
      )
    )
    const statuses = responses.map((r) => r.status())
    assert.equal(statuses.filter((s) => s === 201).length, 10, statuses.join(','))
    assert.equal(statuses.filter((s) => s === 409).length, 40, statuses.join(','))
    for (const refused of responses.filter((r) => r.status() === 409)) {
      assert.equal(refused.body().errors[0].rule, 'insufficient_stock')
      assert.equal(refused.body().errors[0].available, 0)
    }

    const level = await db
      .from('stock_levels')
      .where({ article_id: article.id, location_id: warehouse.id })
      .first()
    assert.equal(Number(level.quantity), 0)
    const numbers = (
      await db
        .from('stock_movements')
        .where({ company_id: company.id, type: 'issue' })
        .select('number')
    )
      .map((r) => Number(String(r.number).split('-')[2]))
      .sort((a, b) => a - b)
    assert.deepEqual(
      numbers,
      Array.from({ length: 10 }, (_, i) => i + 1)
    )
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  }).timeout(120000)
})
