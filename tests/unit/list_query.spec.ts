import { test } from '@japa/runner'
import { listHref, queryParam } from '../../resources/lib/lists.js'

test.group('List page addresses', () => {
  test('empty filters are left out, so an unfiltered first page is the bare path', ({ assert }) => {
    assert.equal(listHref('/stock'), '/stock')
    assert.equal(
      listHref('/stock', { search: '', category: null, locationId: undefined, below: false }),
      '/stock'
    )
    assert.equal(
      listHref('/stock', { search: 'roulement 6204', locationId: 3, belowMinimum: true }),
      '/stock?search=roulement+6204&locationId=3&belowMinimum=true'
    )
  })

  test('cursors and custom field filters are encoded', ({ assert }) => {
    assert.equal(
      listHref('/contacts', { 'cf[secteur]': 'BTP & Co', 'cursor': 'eyJ2Ijo/+=' }),
      '/contacts?cf%5Bsecteur%5D=BTP+%26+Co&cursor=eyJ2Ijo%2F%2B%3D'
    )
  })

  test('a parameter of the current address', ({ assert }) => {
    assert.equal(queryParam('/imports?kind=stock.articles&cursor=abc', 'cursor'), 'abc')
    assert.equal(queryParam('/imports?kind=stock.articles', 'cursor'), null)
    assert.equal(queryParam('/imports', 'kind'), null)
  })
})
