import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { createTokenValidator } from '#validators/tokens'

/*
 * API tokens (Bearer): everyone manages their own; admins of a company see
 * and revoke its members' tokens. The secret is given once, at creation.
 */

const ApiTokensController = () => import('#controllers/api_tokens_controller')

const MANAGE_USERS = 'kernel.users.manage'

router
  .group(() => {
    const id = router.matchers.number()
    router.get('/profile/tokens', [ApiTokensController, 'index']).as('tokens.index')
    router.post('/profile/tokens', [ApiTokensController, 'store']).as('tokens.store')
    router
      .delete('/profile/tokens/:id', [ApiTokensController, 'destroy'])
      .where('id', id)
      .as('tokens.destroy')
  })
  .use([...webAuthStack(), can('authenticated')])

router
  .delete('/settings/users/:id/tokens/:tokenId', [ApiTokensController, 'adminDestroy'])
  .where('tokenId', router.matchers.number())
  .use([...webAuthStack(), can(MANAGE_USERS)])
  .as('users.tokens.destroy')

const token = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    abilities: {
      type: 'array',
      items: { type: 'string' },
      description: 'Permission keys; `*` for all the owner’s permissions',
    },
    createdAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    expired: { type: 'boolean' },
    current: { type: 'boolean', description: 'The token this request was made with' },
  },
}
const tokenList = {
  type: 'object',
  properties: { data: { type: 'array', items: token } },
}

router
  .group(() => {
    const id = router.matchers.number()
    apiDoc(
      router.get('/api/v1/me/tokens', [ApiTokensController, 'apiIndex']).as('api.tokens.index'),
      {
        summary: 'The signed-in user’s API tokens, newest first (never their secrets)',
        responses: { 200: { description: 'The tokens', schema: tokenList } },
      }
    )
    apiDoc(
      router.post('/api/v1/me/tokens', [ApiTokensController, 'apiStore']).as('api.tokens.store'),
      {
        summary: 'Creates an API token; its secret is in this answer only',
        description:
          'The name is unique among the user’s tokens. `abilities` is `["*"]` (all the user’s permissions; refused to a request made with a restricted token) or permission keys the user holds in the current company — any other is refused with 422 naming them. Requests made with the token get the intersection of the user’s role permissions and these abilities. Give `expiresIn` (30, 90 or 365 days) or `expiresAt` (a day at most one year ahead; the token works until the end of it, Europe/Paris).',
        body: createTokenValidator,
        responses: {
          201: {
            description: 'The token, with `secret`: the Bearer value, shown once',
            schema: {
              type: 'object',
              properties: {
                data: {
                  ...token,
                  properties: { ...token.properties, secret: { type: 'string' } },
                },
              },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/me/tokens/:id', [ApiTokensController, 'apiDestroy'])
        .where('id', id)
        .as('api.tokens.destroy'),
      {
        summary: 'Revokes one of the signed-in user’s tokens',
        params: { id: 'Token id' },
        responses: { 204: 'Revoked' },
      }
    )
  })
  .use([...apiStack(), can('authenticated')])

router
  .group(() => {
    apiDoc(
      router
        .get('/:id/tokens', [ApiTokensController, 'apiAdminIndex'])
        .as('api.users.tokens.index'),
      {
        summary: "A member's API tokens (never their secrets)",
        params: { id: 'User id' },
        responses: { 200: { description: 'The tokens', schema: tokenList } },
      }
    )
    apiDoc(
      router
        .delete('/:id/tokens/:tokenId', [ApiTokensController, 'apiAdminDestroy'])
        .where('tokenId', router.matchers.number())
        .as('api.users.tokens.destroy'),
      {
        summary: "Revokes one of a member's API tokens",
        params: { id: 'User id', tokenId: 'Token id' },
        responses: { 204: 'Revoked' },
      }
    )
  })
  .prefix('/api/v1/admin/users')
  .use([...apiStack(), can(MANAGE_USERS)])
