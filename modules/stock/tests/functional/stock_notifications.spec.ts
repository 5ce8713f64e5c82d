import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { memberOf } from '#tests/helpers/fixtures'
import { stockSite } from '../helpers.js'

test.group('Stock: below-minimum notifications', () => {
  test('crossing below the minimum notifies the buyers once, in the posting transaction', async ({
    client,
    assert,
  }) => {
    // The article's minimum is 5 units.
    const { api, warehouse, article, company, user, token } = await stockSite(client)
    const technician = await memberOf(company.id, 'technician')
    const sent = async () =>
      db
        .from('notifications')
        .where({ company_id: company.id, type: 'stock.below_minimum' })
        .orderBy('id')
        .select('user_id', 'link', 'title')
    const move = (type: string, quantity: number) =>
      api.post('/movements', {
        type,
        articleId: article.id,
        quantity,
        ...(type === 'receipt' ? { toLocationId: warehouse.id } : { fromLocationId: warehouse.id }),
      })

    ;(await move('receipt', 10000)).assertStatus(201)
    assert.lengthOf(await sent(), 0)
    ;(await move('issue', 6000)).assertStatus(201)
    const [first, ...others] = await sent()
    assert.lengthOf(others, 0)
    // The manager holds stock.article.update; the technician does not.
    assert.equal(first.user_id, user.id)
    assert.notEqual(first.user_id, technician.id)
    assert.equal(first.link, `/stock/articles/${article.id}`)
    assert.include(first.title, 'ROUL-6204')

    // Still below: no new notification; a refused issue notifies nobody either.
    ;(await move('issue', 1000)).assertStatus(201)
    ;(await move('issue', 9000)).assertStatus(409)
    assert.lengthOf(await sent(), 1)

    // Back up, then below again: notified again.
    // 3 + 5 = 8 on hand, then 4: below 5 again.
    ;(await move('receipt', 5000)).assertStatus(201)
    ;(await move('issue', 4000)).assertStatus(201)
    assert.lengthOf(await sent(), 2)

    // The manager reads them in their notification centre, in their language.
    const inbox = await client.get('/api/v1/notifications').bearerToken(token)
    inbox.assertStatus(200)
    const mine = inbox.body().data.filter((n: any) => n.type === 'stock.below_minimum')
    assert.lengthOf(mine, 2)
    assert.include(mine[0].body, 'minimum')
  })
})
