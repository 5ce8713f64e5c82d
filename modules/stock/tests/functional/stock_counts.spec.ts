import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { memberOf } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'
import { verifyLedger } from '../../services/verify.js'

test.group('Stock: inventory counts', () => {
  test('open, enter, review, validate → one adjustment for the differences, audited', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    const other = (await api.post('/articles', { reference: 'JOINT-1', name: 'Joint' })).body().data
    const third = (await api.post('/articles', { reference: 'VIS-1', name: 'Vis' })).body().data
    for (const [id, quantity] of [
      [article.id, 10000],
      [other.id, 4000],
    ]) {
      await api.post('/movements', {
        type: 'receipt',
        toLocationId: warehouse.id,
        articleId: id,
        quantity,
        unitCost: 200,
      })
    }
    const opened = await api.post('/counts', { locationId: warehouse.id })
    opened.assertStatus(201)
    const count = opened.body().data
    assert.equal(count.status, 'open')
    assert.deepEqual(
      count.lines.map((l: any) => [l.reference, l.expected, l.counted]),
      [
        ['JOINT-1', 4000, null],
        ['ROUL-6204', 10000, null],
      ]
    )

    const entered = await api.patch(`/counts/${count.id}`, {
      lines: [
        { articleId: article.id, counted: 8000 },
        { articleId: other.id, counted: 4000 },
        // Found where none was expected: added to the count.
        { articleId: third.id, counted: 500 },
      ],
    })
    entered.assertStatus(200)
    // A movement during the count: differences are taken against the level at validation.
    await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 1000,
    })
    const review = (await api.get(`/counts/${count.id}`)).body().data
    assert.deepEqual(
      review.lines.map((l: any) => [l.reference, l.current, l.counted, l.difference]),
      [
        ['JOINT-1', 4000, 4000, 0],
        ['ROUL-6204', 9000, 8000, -1000],
        ['VIS-1', 0, 500, 500],
      ]
    )

    const validated = await api.post(`/counts/${count.id}/validate`, {})
    validated.assertStatus(200)
    assert.equal(validated.body().data.status, 'validated')
    const movement = (await api.get(`/movements/${validated.body().data.movementId}`)).body().data
    assert.match(movement.number, /^BA-\d{4}-00001$/)
    assert.deepEqual(movement.reference, { model: 'stock.count', id: count.id })
    assert.deepEqual(
      movement.lines.map((l: any) => [l.articleId, l.quantity]),
      [
        [article.id, -1000],
        [third.id, 500],
      ]
    )
    // Levels come by article (the order they were created in).
    const levels = (await api.get(`/levels?locationId=${warehouse.id}`)).body().data
    assert.deepEqual(
      levels.map((l: any) => [l.reference, l.quantity]),
      [
        ['ROUL-6204', 8000],
        ['JOINT-1', 4000],
        ['VIS-1', 500],
      ]
    )
    const audit = await db
      .from('audit_logs')
      .where({ model: 'stock.count', record_id: String(count.id) })
      .select('event')
    assert.deepEqual(
      audit.map((a) => a.event),
      ['created', 'updated']
    )

    // A validated count is closed.
    ;(await api.post(`/counts/${count.id}/validate`, {})).assertStatus(409)
    ;(
      await api.patch(`/counts/${count.id}`, { lines: [{ articleId: article.id, counted: 1 }] })
    ).assertStatus(409)
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('bad counted quantities are 422 and write nothing', async ({ client, assert }) => {
    const { api, warehouse, article } = await stockSite(client)
    const count = (await api.post('/counts', { locationId: warehouse.id })).body().data
    const bad = await api.patch(`/counts/${count.id}`, {
      lines: [{ articleId: article.id, counted: -5 }],
    })
    bad.assertStatus(422)
    const unknown = await api.patch(`/counts/${count.id}`, {
      lines: [{ articleId: 999999, counted: 5 }],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'lines.0.articleId')
    const lines = await db.from('stock_count_lines').where('count_id', count.id)
    assert.lengthOf(lines, 0)
  })
})

test.group('Stock: counts list and articles added to a count', () => {
  test('the counts list pages by keyset, newest first, filtered by location and status', async ({
    client,
    assert,
  }) => {
    const { api, warehouse } = await stockSite(client)
    const van = (await api.post('/locations', { name: 'Camionnette', kind: 'van' })).body().data
    const ids: number[] = []
    for (const locationId of [warehouse.id, van.id, warehouse.id, warehouse.id, van.id]) {
      ids.push((await api.post('/counts', { locationId })).body().data.id)
    }
    ;(await api.post(`/counts/${ids[2]}/validate`, {})).assertStatus(200)

    const first = await api.get('/counts?limit=2')
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((c: any) => c.id),
      [ids[4], ids[3]]
    )
    assert.containsSubset(first.body().data[0], {
      status: 'open',
      locationId: van.id,
      locationName: 'Camionnette',
      validatedAt: null,
    })
    const cursor = first.body().meta.nextCursor
    assert.isString(cursor)
    const second = (await api.get(`/counts?limit=2&cursor=${cursor}`)).body()
    assert.deepEqual(
      second.data.map((c: any) => c.id),
      [ids[2], ids[1]]
    )
    const last = (await api.get(`/counts?limit=2&cursor=${second.meta.nextCursor}`)).body()
    assert.deepEqual(
      last.data.map((c: any) => c.id),
      [ids[0]]
    )
    assert.isNull(last.meta.nextCursor)

    const atWarehouse = (await api.get(`/counts?locationId=${warehouse.id}`)).body().data
    assert.deepEqual(
      atWarehouse.map((c: any) => c.id),
      [ids[3], ids[2], ids[0]]
    )
    const validated = (await api.get('/counts?status=validated')).body().data
    assert.deepEqual(
      validated.map((c: any) => [c.id, c.status]),
      [[ids[2], 'validated']]
    )
    assert.isString(validated[0].validatedAt)
    const openAtVan = (await api.get(`/counts?status=open&locationId=${van.id}`)).body().data
    assert.deepEqual(
      openAtVan.map((c: any) => c.id),
      [ids[4], ids[1]]
    )

    const badCursor = await api.get('/counts?cursor=nonsense')
    badCursor.assertStatus(422)
    assert.equal(badCursor.body().errors[0].field, 'cursor')
    const badStatus = await api.get('/counts?status=lost')
    badStatus.assertStatus(422)
    assert.equal(badStatus.body().errors[0].field, 'status')
  })

  test('the API adds an article found on the shelf; refuses one already listed, archived, unknown, or a closed count', async ({
    client,
    assert,
  }) => {
    const { api, warehouse, article, company } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
      unitCost: 450,
    })
    const found = (await api.post('/articles', { reference: 'VIS-1', name: 'Vis' })).body().data
    const archived = (await api.post('/articles', { reference: 'OLD-1', name: 'Ancien' })).body()
      .data
    await db.from('stock_articles').where('id', archived.id).update({ archived_at: new Date() })
    const other = await stockSite(client)
    const count = (await api.post('/counts', { locationId: warehouse.id })).body().data

    const added = await api.post(`/counts/${count.id}/lines`, {
      articleId: found.id,
      counted: 1500,
    })
    added.assertStatus(201)
    assert.deepEqual(
      added.body().data.lines.map((l: any) => [l.reference, l.expected, l.counted, l.difference]),
      [
        ['ROUL-6204', 2000, null, null],
        ['VIS-1', 0, 1500, 1500],
      ]
    )

    for (const [articleId, rule] of [
      [found.id, 'count_line_exists'],
      [article.id, 'count_line_exists'],
      [archived.id, 'article_archived'],
      // Another company's article is unknown here.
      [other.article.id, 'exists'],
    ]) {
      const refused = await api.post(`/counts/${count.id}/lines`, { articleId, counted: 1000 })
      refused.assertStatus(422)
      assert.deepEqual(
        refused.body().errors.map((e: any) => [e.field, e.rule]),
        [['articleId', rule]]
      )
    }
    const negative = await api.post(`/counts/${count.id}/lines`, {
      articleId: archived.id,
      counted: -1,
    })
    negative.assertStatus(422)
    assert.equal(negative.body().errors[0].field, 'counted')
    // The bulk entry refuses an archived article too, and writes nothing.
    const bulk = await api.patch(`/counts/${count.id}`, {
      lines: [
        { articleId: article.id, counted: 2000 },
        { articleId: archived.id, counted: 1000 },
      ],
    })
    bulk.assertStatus(422)
    assert.deepEqual(
      bulk.body().errors.map((e: any) => [e.field, e.rule]),
      [['lines.1.articleId', 'article_archived']]
    )
    const lines = await db
      .from('stock_count_lines')
      .where('count_id', count.id)
      .orderBy('article_id')
      .select('article_id', 'counted')
    assert.deepEqual(
      lines.map((l) => [l.article_id, l.counted === null ? null : Number(l.counted)]),
      [
        [article.id, null],
        [found.id, 1500],
      ]
    )

    ;(await api.post(`/counts/${count.id}/validate`, {})).assertStatus(200)
    const closed = await api.post(`/counts/${count.id}/lines`, { articleId: archived.id })
    closed.assertStatus(409)
    // Another company's count is not found.
    ;(
      await other.api.post(`/counts/${count.id}/lines`, { articleId: other.article.id })
    ).assertStatus(404)
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })

  test('the count page searches articles to add and adds one as typed, with form errors for refusals', async ({
    client,
    assert,
  }) => {
    const { user, api, warehouse, article, company } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
      unitCost: 450,
    })
    const joint = (
      await api.post('/articles', {
        reference: 'JOINT-1',
        name: 'Joint torique',
        barcode: '987654',
      })
    ).body().data
    const old = (
      await api.post('/articles', { reference: 'JOINT-OLD', name: 'Joint ancien' })
    ).body().data
    await db.from('stock_articles').where('id', old.id).update({ archived_at: new Date() })
    const count = (await api.post('/counts', { locationId: warehouse.id })).body().data
    const url = `/stock/counts/${count.id}`
    const search = (term: string) =>
      client
        .get(`${url}/articles`)
        .qs({ search: term })
        .loginAs(user)
        .header('accept', 'application/json')

    // By name (accents ignored), reference or barcode; archived articles are left out.
    const byName = await search('JOINT')
    byName.assertStatus(200)
    assert.deepEqual(byName.body().data, [
      {
        id: joint.id,
        reference: 'JOINT-1',
        name: 'Joint torique',
        unit: 'u',
        barcode: '987654',
        onCount: false,
      },
    ])
    assert.deepEqual(
      (await search('987654')).body().data.map((c: any) => c.reference),
      ['JOINT-1']
    )
    // The article already on the count is offered as such.
    assert.deepEqual(
      (await search('roul')).body().data.map((c: any) => [c.reference, c.onCount]),
      [['ROUL-6204', true]]
    )
    assert.deepEqual((await search('  ')).body().data, [])

    const add = (body: object) =>
      client
        .post(`${url}/lines`)
        .loginAs(user)
        .withCsrfToken()
        .header('referer', url)
        .json(body)
        .redirects(0)
    const errorsOf = (response: any) =>
      response.flashMessages().inputErrorsBag as Record<string, string[]>

    const badQuantity = await add({ articleId: joint.id, counted: 'trois' })
    badQuantity.assertStatus(302)
    assert.deepEqual(errorsOf(badQuantity).counted, ['Saisissez une quantité positive ou nulle'])
    const listed = await add({ articleId: article.id, counted: '1' })
    assert.deepEqual(errorsOf(listed).articleId, [
      'Cet article est déjà dans l’inventaire : saisissez sa quantité sur sa ligne',
    ])
    const archived = await add({ articleId: old.id, counted: '1' })
    assert.deepEqual(errorsOf(archived).articleId, ['Cet article est archivé'])
    const none = await add({ counted: '1' })
    assert.properties(errorsOf(none), ['articleId'])
    assert.lengthOf(await db.from('stock_count_lines').where('count_id', count.id), 1)

    const added = await add({ articleId: joint.id, counted: '2,5' })
    added.assertStatus(302)
    assert.equal(added.header('location'), url)
    const page = await client.get(url).loginAs(user).withInertia()
    assert.deepEqual(
      page.inertiaProps.count.lines.map((l: any) => [l.reference, l.counted, l.difference]),
      [
        ['JOINT-1', 2500, 2500],
        ['ROUL-6204', null, null],
      ]
    )
    assert.isTrue((await search('joint')).body().data[0].onCount)

    ;(await client.post(`${url}/validate`).loginAs(user).withCsrfToken().redirects(0)).assertStatus(
      302
    )
    const closed = await add({ articleId: old.id, counted: '1' })
    closed.assertStatus(302)
    assert.deepEqual(errorsOf(closed).articleId, ['Cet inventaire est clos'])

    // Someone who may not manage counts gets neither the search nor the add.
    const technician = await memberOf(company.id, 'technician')
    ;(
      await client
        .get(`${url}/articles`)
        .qs({ search: 'joint' })
        .loginAs(technician)
        .header('accept', 'application/json')
    ).assertStatus(403)
    // Another company's count is not found.
    const stranger = await stockSite(client)
    ;(
      await client
        .get(`${url}/articles`)
        .qs({ search: 'joint' })
        .loginAs(stranger.user)
        .header('accept', 'application/json')
    ).assertStatus(404)
  })

  test('the counts page pages and filters like the API', async ({ client, assert }) => {
    const { user, api, warehouse } = await stockSite(client)
    const ids: number[] = []
    for (let i = 0; i < 27; i++) {
      ids.push((await api.post('/counts', { locationId: warehouse.id })).body().data.id)
    }
    const first = await client.get('/stock/counts').loginAs(user).withInertia()
    first.assertInertiaComponent('stock/counts')
    assert.lengthOf(first.inertiaProps.counts, 25)
    assert.equal(first.inertiaProps.counts[0].id, ids[26])
    const next = await client
      .get('/stock/counts')
      .qs({ cursor: first.inertiaProps.nextCursor })
      .loginAs(user)
      .withInertia()
    assert.deepEqual(
      next.inertiaProps.counts.map((c: any) => c.id),
      [ids[1], ids[0]]
    )
    assert.isNull(next.inertiaProps.nextCursor)
    const validated = await client
      .get('/stock/counts')
      .qs({ status: 'validated' })
      .loginAs(user)
      .withInertia()
    assert.deepEqual(validated.inertiaProps.counts, [])
    assert.deepEqual(validated.inertiaProps.filters, {
      locationId: null,
      status: 'validated',
      cursor: null,
    })
    // A hand-edited query string shows the default list.
    const odd = await client.get('/stock/counts').qs({ status: 'lost' }).loginAs(user).withInertia()
    odd.assertStatus(200)
    assert.lengthOf(odd.inertiaProps.counts, 25)
  })
})

test.group('Stock: reorder list', () => {
  test('articles below minimum, grouped by supplier, with a CSV export', async ({
    client,
    assert,
  }) => {
    const { api, token, warehouse, article } = await stockSite(client)
    const supplier = (
      await client
        .post('/api/v1/contacts')
        .bearerToken(token)
        .json({ kind: 'company', name: 'SKF France', isSupplier: true })
    ).body().data
    const filter = (
      await api.post('/articles', {
        reference: 'FILT-AIR',
        name: 'Filtre à air',
        minStock: 2000,
        reorderQuantity: 1000,
        suppliers: [{ contactId: supplier.id, supplierReference: 'SKF-F1', priceCents: 1250 }],
      })
    ).body().data
    const enough = (
      await api.post('/articles', { reference: 'OK-1', name: 'Assez', minStock: 1000 })
    ).body().data
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: enough.id,
      quantity: 1000,
    })
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
      unitCost: 450,
    })

    const list = (await api.get('/reorder')).body().data
    assert.deepEqual(
      list.map((g: any) => [
        g.supplierName,
        g.lines.map((l: any) => [l.reference, l.suggested, l.amountCents]),
      ]),
      [
        // 0 on hand, minimum 2: the reorder quantity (1) would not reach it, so 2.
        ['SKF France', [['FILT-AIR', 2000, 2500]]],
        // 2 on hand, minimum 5, reorder 20 at the purchase price 4,50 €.
        [null, [['ROUL-6204', 20000, 9000]]],
      ]
    )
    assert.equal(list[0].lines[0].articleId, filter.id)

    const csv = await api.get('/reorder.csv')
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const rows = csv
      .text()
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    assert.equal(
      rows[0],
      'Fournisseur;Réf. fournisseur;Référence;Article;Unité;En stock;Minimum;À commander;Prix unitaire;Montant'
    )
    assert.equal(rows[1], 'SKF France;SKF-F1;FILT-AIR;Filtre à air;u;0;2;2;12,50;25,00')
    assert.equal(rows[2], ';;ROUL-6204;Roulement 6204 2RS;u;2;5;20;4,50;90,00')
  })
})

test.group('Stock: count and reorder pages', () => {
  test('open a count, enter quantities as typed, validate; the reorder page and its CSV', async ({
    client,
    assert,
  }) => {
    const { user, api, warehouse, article } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 3000,
      unitCost: 450,
    })
    const index = await client.get('/stock/counts').loginAs(user).withInertia()
    index.assertStatus(200)
    index.assertInertiaComponent('stock/counts')
    const opened = await client
      .post('/stock/counts')
      .loginAs(user)
      .withCsrfToken()
      .json({ locationId: warehouse.id })
      .redirects(0)
    opened.assertStatus(302)
    const url = opened.header('location') ?? ''
    assert.match(url, /^\/stock\/counts\/\d+$/)

    const bad = await client
      .put(url)
      .loginAs(user)
      .withCsrfToken()
      .header('referer', url)
      .json({ lines: [{ articleId: article.id, counted: 'trois' }] })
      .redirects(0)
    bad.assertStatus(302)
    assert.properties(bad.flashMessages().inputErrorsBag as Record<string, string[]>, [
      'lines.0.counted',
    ])
    const entered = await client
      .put(url)
      .loginAs(user)
      .withCsrfToken()
      .json({ lines: [{ articleId: article.id, counted: '2,5' }] })
      .redirects(0)
    entered.assertStatus(302)
    const page = await client.get(url).loginAs(user).withInertia()
    page.assertInertiaComponent('stock/count')
    assert.deepEqual(
      page.inertiaProps.count.lines.map((l: any) => [l.counted, l.difference]),
      [[2500, -500]]
    )
    const validated = await client
      .post(`${url}/validate`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    validated.assertStatus(302)
    const after = await client.get(url).loginAs(user).withInertia()
    assert.equal(after.inertiaProps.count.status, 'validated')
    const level = (await api.get(`/levels?articleId=${article.id}`)).body().data[0]
    assert.equal(level.quantity, 2500)

    const reorder = await client.get('/stock/reorder').loginAs(user).withInertia()
    reorder.assertStatus(200)
    assert.deepEqual(
      reorder.inertiaProps.groups[0].lines.map((l: any) => l.reference),
      ['ROUL-6204']
    )
    const csv = await client.get('/stock/reorder.csv').loginAs(user)
    csv.assertStatus(200)
    assert.include(csv.text(), 'ROUL-6204')
  })
})
