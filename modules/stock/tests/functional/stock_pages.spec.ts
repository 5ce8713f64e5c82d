import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { stockSite } from '../helpers.js'

test.group('Stock pages', () => {
  test('the articles list: search, category, location and below-minimum filters, keyset pages', async ({
    client,
    assert,
  }) => {
    const { user, api, warehouse, article } = await stockSite(client)
    await api.post('/articles', {
      reference: 'FILT-AIR',
      name: 'Filtre à air',
      category: 'Filtres',
    })
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2000,
    })
    const list = await client.get('/stock').loginAs(user).withInertia()
    list.assertStatus(200)
    list.assertInertiaComponent('stock/index')
    assert.deepEqual(
      list.inertiaProps.articles.map((a: any) => a.reference),
      ['FILT-AIR', 'ROUL-6204']
    )
    assert.deepEqual(list.inertiaProps.categories, ['Filtres', 'Roulements'])

    const get = async (qs: string) =>
      (await client.get(`/stock?${qs}`).loginAs(user).withInertia()).inertiaProps.articles.map(
        (a: any) => a.reference
      )
    assert.deepEqual(await get('search=roul'), ['ROUL-6204'])
    assert.deepEqual(await get('category=Filtres'), ['FILT-AIR'])
    assert.deepEqual(await get(`locationId=${warehouse.id}`), ['ROUL-6204'])
    // 2 on hand, minimum 5
    assert.deepEqual(await get('belowMinimum=true'), ['ROUL-6204'])
    const first = await client.get('/stock?limit=1').loginAs(user).withInertia()
    const cursor = first.inertiaProps.nextCursor
    assert.isString(cursor)
    assert.deepEqual(await get(`limit=1&cursor=${encodeURIComponent(cursor)}`), ['ROUL-6204'])
    // A hand-edited query string shows the default list.
    assert.lengthOf(await get('limit=abc&belowMinimum=perhaps'), 2)
  })

  test('forms: create an article, a van, post movements; errors land on the form', async ({
    client,
    assert,
  }) => {
    const { user, company, warehouse } = await stockSite(client)
    const created = await client
      .post('/stock/articles')
      .loginAs(user)
      .withCsrfToken()
      .json({ reference: 'VIS-M8', name: 'Vis M8x40', unit: 'u', minStock: 10000 })
      .redirects(0)
    created.assertStatus(302)
    const articleId = Number((created.header('location') ?? '').split('/').pop())

    const bad = await client
      .post('/stock/articles')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/stock/articles/create')
      .json({ reference: 'VIS-M8', name: '' })
      .redirects(0)
    bad.assertStatus(302)
    bad.assertHeader('location', '/stock/articles/create')
    const errors = bad.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.properties(errors, ['name'])

    const van = await client
      .post('/stock/locations')
      .loginAs(user)
      .withCsrfToken()
      .json({ name: 'Camionnette 2', kind: 'van', holderUserId: user.id })
      .redirects(0)
    van.assertStatus(302)
    const vanId = (
      await db
        .from('stock_locations')
        .where({ company_id: company.id, name: 'Camionnette 2' })
        .first()
    ).id

    const post = (body: object) =>
      client
        .post('/stock/movements')
        .loginAs(user)
        .withCsrfToken()
        .header('referer', '/stock/movements/create')
        .json(body)
        .redirects(0)
    const receipt = await post({
      type: 'receipt',
      toLocationId: warehouse.id,
      lines: [{ reference: 'VIS-M8', quantity: '10', unitCost: 12 }],
    })
    receipt.assertStatus(302)
    assert.match(receipt.header('location') ?? '', /^\/stock\/movements\/\d+$/)
    const too = await post({
      type: 'issue',
      fromLocationId: vanId,
      reason: 'Pompe P3',
      lines: [{ reference: 'VIS-M8', quantity: '1,5' }],
    })
    too.assertStatus(302)
    too.assertHeader('location', '/stock/movements/create')
    const bag = too.flashMessages().inputErrorsBag as Record<string, string[]>
    const refusal = bag['lines.0.quantity']
    assert.include(String(refusal), 'VIS-M8')
    const unknown = await post({
      type: 'issue',
      fromLocationId: warehouse.id,
      lines: [{ reference: 'NOPE', quantity: 'deux' }],
    })
    assert.properties(unknown.flashMessages().inputErrorsBag as Record<string, string[]>, [
      'lines.0.quantity',
    ])

    const shown = await client.get(`/stock/articles/${articleId}`).loginAs(user).withInertia()
    shown.assertStatus(200)
    shown.assertInertiaComponent('stock/show')
    assert.deepEqual(
      shown.inertiaProps.levels.map((l: any) => [l.locationName, l.quantity, l.valueCents]),
      [['Magasin central', 10000, 120]]
    )
    assert.lengthOf(shown.inertiaProps.history, 1)

    const movementId = Number((receipt.header('location') ?? '').split('/').pop())
    const movement = await client.get(`/stock/movements/${movementId}`).loginAs(user).withInertia()
    movement.assertStatus(200)
    assert.match(movement.inertiaProps.movement.number, /^BE-\d{4}-00001$/)

    const locations = await client.get('/stock/locations').loginAs(user).withInertia()
    assert.equal(locations.inertiaProps.valuation.totalCents, 120)
    for (const url of [
      '/stock/articles/create',
      `/stock/articles/${articleId}/edit`,
      '/stock/movements/create?type=issue',
    ]) {
      const page = await client.get(url).loginAs(user).withInertia()
      page.assertStatus(200)
    }
  })

  test('dashboard widgets: value, below-minimum count, top movers', async ({ client, assert }) => {
    const { user, api, warehouse, article } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 10000,
      unitCost: 450,
    })
    await api.post('/movements', {
      type: 'issue',
      fromLocationId: warehouse.id,
      articleId: article.id,
      quantity: 6000,
    })
    const widget = async (key: string) => {
      const response = await client.get(`/dashboard/widgets/stock/${key}`).loginAs(user)
      response.assertStatus(200)
      return response.body().data.data
    }
    assert.match((await widget('value')).value, /^18,00\s€$/)
    assert.equal((await widget('below-minimum')).value, 1)
    const chart = await widget('top-movers')
    assert.deepEqual(chart.labels, ['ROUL-6204'])
    assert.deepEqual(chart.series[0].values, [6])
  })
})
