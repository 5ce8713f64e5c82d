import { test } from '@japa/runner'
import { memberWithGrants } from '#tests/helpers/roles'
import { tokenFor } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'

/** The CSV's rows without the BOM, split into cells. */
function rowsOf(text: string) {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'))
}

test.group('Stock: CSV exports', () => {
  test('articles, levels and movements, with decimal commas and the list filters', async ({
    client,
    assert,
  }) => {
    const { api, user, warehouse, article, company } = await stockSite(client)
    await api.post('/articles', {
      reference: 'FILT-AIR',
      name: 'Filtre à air',
      category: 'Filtres',
    })
    await api.post('/movements', {
      type: 'receipt',
      toLocationId: warehouse.id,
      articleId: article.id,
      quantity: 2500,
      unitCost: 450,
      reason: 'Commande',
    })

    const articles = await api.get('/articles.csv?category=Roulements')
    articles.assertStatus(200)
    assert.include(articles.header('content-type'), 'text/csv')
    assert.deepEqual(rowsOf(articles.text()), [
      [
        'reference',
        'name',
        'category',
        'unit',
        'purchasePrice',
        'minStock',
        'reorderQuantity',
        'barcode',
        'onHand',
        'averageCost',
      ],
      [
        'ROUL-6204',
        'Roulement 6204 2RS',
        'Roulements',
        'u',
        '4,50',
        '5',
        '20',
        '3700000062040',
        '2,5',
        '4,50',
      ],
    ])

    const levels = rowsOf((await api.get('/levels.csv')).text())
    assert.deepEqual(levels.slice(1), [
      ['ROUL-6204', 'Roulement 6204 2RS', 'u', 'Magasin central', '2,5', '0', '4,50', '11,25'],
    ])

    const movements = rowsOf((await api.get('/movements.csv')).text())
    assert.lengthOf(movements, 2)
    assert.match(movements[1][0], /^BE-\d{4}-00001$/)
    assert.deepEqual(movements[1].slice(2), [
      'receipt',
      '',
      'Magasin central',
      'ROUL-6204',
      '2,5',
      '4,50',
      '11,25',
      'Commande',
      '',
    ])

    // The page route streams the same file.
    const page = await client.get('/stock/articles.csv').loginAs(user)
    page.assertStatus(200)
    assert.lengthOf(rowsOf(page.text()), 3)

    // A member whose movement scope is `own` exports only the documents they posted.
    const { user: own } = await memberWithGrants(company.id, [
      { permission: 'stock.movement.read', scope: 'own' },
    ])
    const theirs = await client.get('/api/v1/stock/movements.csv').bearerToken(await tokenFor(own))
    theirs.assertStatus(200)
    assert.lengthOf(rowsOf(theirs.text()), 1)
  })
})
