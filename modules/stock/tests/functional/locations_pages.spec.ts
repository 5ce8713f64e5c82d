import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { stockSite } from '../helpers.js'

const U = 1000

test.group('Stock locations: page, edit, archive', () => {
  test('a location’s page lists what it holds; another company’s is 404; a member with the `own` scope sees only their van', async ({
    client,
    assert,
  }) => {
    const { api, user, company, warehouse, article } = await stockSite(client)
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 4 * U,
      unitCost: 450,
    })
    const page = await client.get(`/stock/locations/${warehouse.id}`).loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('stock/location')
    assert.equal(page.inertiaProps.location.name, 'Magasin central')
    assert.deepEqual(
      page.inertiaProps.levels.map((l: any) => [l.reference, l.quantity]),
      [['ROUL-6204', 4 * U]]
    )
    assert.equal(page.inertiaProps.valueCents, 1800)
    assert.isTrue(page.inertiaProps.can.manageLocation)

    const other = await companyWithUser('manager')
    ;(await client.get(`/stock/locations/${warehouse.id}`).loginAs(other.user)).assertStatus(404)

    // Vans are their holder's records: with the `own` scope, one sees one's van only.
    const { user: paul } = await memberWithGrants(company.id, [
      { permission: 'stock.location.read', scope: 'own' },
    ])
    const yann = await memberOf(company.id, 'technician')
    const paulsVan = (
      await api.post('/locations', { name: 'Camionnette Paul', kind: 'van', holderUserId: paul.id })
    ).body().data
    const yannsVan = (
      await api.post('/locations', { name: 'Camionnette Yann', kind: 'van', holderUserId: yann.id })
    ).body().data
    ;(await client.get(`/stock/locations/${paulsVan.id}`).loginAs(paul)).assertStatus(200)
    ;(await client.get(`/stock/locations/${yannsVan.id}`).loginAs(paul)).assertStatus(404)
    ;(
      await client
        .put(`/stock/locations/${paulsVan.id}`)
        .loginAs(paul)
        .withCsrfToken()
        .json({ name: 'Mon camion' })
    ).assertStatus(403)
  })

  test('rename, change holder and team from the page, audited; a duplicate name is a form error', async ({
    client,
    assert,
  }) => {
    const { api, user, company } = await stockSite(client)
    const tech = await memberOf(company.id, 'technician')
    const van = (await api.post('/locations', { name: 'Camionnette 1', kind: 'van' })).body().data
    const saved = await client
      .put(`/stock/locations/${van.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .json({ name: 'Camionnette Yann', kind: 'van', holderUserId: tech.id, teamId: null })
    saved.assertStatus(302)
    saved.assertHeader('location', `/stock/locations/${van.id}`)
    const row = await db.from('stock_locations').where('id', van.id).first()
    assert.equal(row.name, 'Camionnette Yann')
    assert.equal(Number(row.holder_user_id), tech.id)
    const audit = await db
      .from('audit_logs')
      .where({ model: 'stock.location', record_id: String(van.id), event: 'updated' })
      .first()
    assert.deepInclude(JSON.parse(audit.changes), { name: ['Camionnette 1', 'Camionnette Yann'] })

    const clash = await client
      .put(`/stock/locations/${van.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .json({ name: 'Magasin central' })
    clash.assertStatus(302)
    assert.property(clash.flashMessages().inputErrorsBag, 'name')
    assert.equal(
      (await db.from('stock_locations').where('id', van.id).first()).name,
      'Camionnette Yann'
    )
  })

  test('archiving: refused while it holds stock, then done once empty; no movement reaches it; restore', async ({
    client,
    assert,
  }) => {
    const { api, user, token, warehouse, article } = await stockSite(client)
    const van = (await api.post('/locations', { name: 'Camionnette', kind: 'van' })).body().data
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: van.id,
      articleId: article.id,
      quantity: 2 * U,
      unitCost: 450,
    })

    // Page and API refuse alike, on `archived`, and nothing changes.
    const page = await client
      .put(`/stock/locations/${van.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .json({ archived: true })
    page.assertStatus(302)
    assert.include(
      (page.flashMessages().inputErrorsBag as any).archived[0],
      'contient encore du stock'
    )
    const viaApi = await client
      .patch(`/api/v1/stock/locations/${van.id}`)
      .bearerToken(token)
      .json({ archived: true })
    viaApi.assertStatus(422)
    assert.equal(viaApi.body().errors[0].field, 'archived')
    assert.equal(viaApi.body().errors[0].rule, 'holds_stock')
    assert.isNull((await db.from('stock_locations').where('id', van.id).first()).archived_at)

    // Emptied back to the warehouse, it can go.
    ;(
      await api.post('/movements', {
        type: 'transfer',
        fromLocationId: van.id,
        toLocationId: warehouse.id,
        articleId: article.id,
        quantity: 2 * U,
      })
    ).assertStatus(201)
    ;(
      await client
        .put(`/stock/locations/${van.id}`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
        .json({ archived: true })
    ).assertStatus(302)
    assert.isNotNull((await db.from('stock_locations').where('id', van.id).first()).archived_at)

    const active = await client.get('/stock/locations').loginAs(user).withInertia()
    assert.notInclude(
      active.inertiaProps.locations.map((l: any) => l.id),
      van.id
    )
    const archived = await client.get('/stock/locations?archived=1').loginAs(user).withInertia()
    assert.deepEqual(
      archived.inertiaProps.locations.map((l: any) => l.id),
      [van.id]
    )
    const refused = await api.post('/movements', {
      type: 'receipt',
      toLocationId: van.id,
      articleId: article.id,
      quantity: U,
      unitCost: 450,
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'toLocationId')

    ;(
      await client
        .put(`/stock/locations/${van.id}`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
        .json({ archived: false })
    ).assertStatus(302)
    assert.isNull((await db.from('stock_locations').where('id', van.id).first()).archived_at)
  })

  test('a warehouse keeps its kind and stays while shelves are in it; a shelf comes back only with its warehouse; an open count blocks archiving', async ({
    client,
    assert,
  }) => {
    const { api, warehouse } = await stockSite(client)
    const shelf = (
      await api.post('/locations', { name: 'Étagère A', kind: 'shelf', parentId: warehouse.id })
    ).body().data
    const archive = (id: number, body: object) => api.patch(`/locations/${id}`, body)

    let refused = await archive(warehouse.id, { archived: true })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'has_shelves')
    refused = await archive(warehouse.id, { kind: 'van' })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'kind_has_shelves')

    ;(await archive(shelf.id, { archived: true })).assertStatus(200)
    ;(await archive(warehouse.id, { archived: true })).assertStatus(200)
    refused = await archive(shelf.id, { archived: false })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'parent_archived')
    ;(await archive(warehouse.id, { archived: false })).assertStatus(200)
    ;(await archive(shelf.id, { archived: false })).assertStatus(200)

    const counted = (await api.post('/locations', { name: 'Réserve', kind: 'warehouse' })).body()
      .data
    ;(await api.post('/counts', { locationId: counted.id })).assertStatus(201)
    refused = await archive(counted.id, { archived: true })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'open_count')
  })

  test('receipts racing an archive: the location ends either archived and empty, or holding them all', async ({
    client,
    assert,
  }) => {
    const { api, article } = await stockSite(client)
    const van = (await api.post('/locations', { name: 'Camionnette', kind: 'van' })).body().data
    const receipts = Array.from({ length: 12 }, () =>
      api.post('/movements', {
        type: 'receipt',
        toLocationId: van.id,
        articleId: article.id,
        quantity: U,
        unitCost: 450,
      })
    )
    const archive = api.patch(`/locations/${van.id}`, { archived: true })
    const [archived, ...posted] = await Promise.all([archive, ...receipts])
    for (const response of posted) assert.oneOf(response.status(), [201, 422])
    const accepted = posted.filter((r) => r.status() === 201).length
    const level = await db
      .from('stock_levels')
      .where({ location_id: van.id, article_id: article.id })
      .first()
    const quantity = Number(level?.quantity ?? 0)
    assert.equal(quantity, accepted * U)
    const row = await db.from('stock_locations').where('id', van.id).first()
    if (archived.status() === 200) {
      assert.isNotNull(row.archived_at)
      assert.equal(quantity, 0)
    } else {
      assert.equal(archived.status(), 422)
      assert.isNull(row.archived_at)
      assert.isAbove(quantity, 0)
    }
  })
})
