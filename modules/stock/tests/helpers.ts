import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'

/** A company with a manager, their token, a warehouse and an article, made through the API. */
export async function stockSite(client: any, role = 'manager') {
  const { company, user } = await companyWithUser(role)
  const token = await tokenFor(user)
  const api = {
    get: (url: string) => client.get(`/api/v1/stock${url}`).bearerToken(token),
    post: (url: string, body: object) =>
      client.post(`/api/v1/stock${url}`).bearerToken(token).json(body),
    patch: (url: string, body: object) =>
      client.patch(`/api/v1/stock${url}`).bearerToken(token).json(body),
  }
  const warehouse = (
    await api.post('/locations', { name: 'Magasin central', kind: 'warehouse' })
  ).body().data
  const article = (
    await api.post('/articles', {
      reference: 'ROUL-6204',
      name: 'Roulement 6204 2RS',
      category: 'Roulements',
      unit: 'u',
      purchasePriceCents: 450,
      minStock: 5000,
      reorderQuantity: 20000,
      barcode: '3700000062040',
    })
  ).body().data
  return { company, user, token, api, warehouse, article }
}
