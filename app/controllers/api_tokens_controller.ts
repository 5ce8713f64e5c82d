import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import type User from '#models/user'
import { permissionGroups } from '#kernel/security/catalog'
import { findMember } from '#kernel/users/members'
import {
  listTokens,
  createToken,
  revokeToken,
  heldPermissions,
  TOKEN_LIFETIMES,
} from '#kernel/users/api_tokens'
import { createTokenValidator } from '#validators/tokens'

function notFound(what = 'Token') {
  return new Exception(`${what} not found`, { status: 404, code: 'E_NOT_FOUND' })
}

/** The id of the token the request was made with (API), if any. */
function currentTokenId(ctx: HttpContext) {
  const token = (ctx.auth.user as { currentAccessToken?: { identifier: number | string } })
    .currentAccessToken
  return token?.identifier ?? null
}

/**
 * API tokens: everyone's own (/profile/tokens and /api/v1/me/tokens), and a
 * member's, for admins (/settings/users/:id and /api/v1/admin/users/:id/tokens).
 */
export default class ApiTokensController {
  /* The signed-in user's own tokens */

  async index(ctx: HttpContext) {
    const user = ctx.auth.user as User
    const held = new Set(heldPermissions(ctx.access))
    const groups = permissionGroups(ctx.i18n.locale)
      .map((group) => ({
        ...group,
        permissions: group.permissions
          .filter((p) => held.has(p.key))
          .map(({ key, label }) => ({ key, label })),
      }))
      .filter((group) => group.permissions.length)
    return ctx.inertia.render('profile/tokens', {
      tokens: await listTokens(user.id),
      groups,
      lifetimes: [...TOKEN_LIFETIMES],
      // Shown once, right after creation: the session flash carries it to this page only.
      created:
        (ctx.session.flashMessages.get('createdToken') as {
          name: string
          secret: string
        } | null) ?? null,
    })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(createTokenValidator)
    const { token, secret } = await createToken(ctx.auth.user as User, ctx.access, data)
    ctx.session.flash('createdToken', { name: token.name, secret })
    ctx.session.flash('success', ctx.i18n.t('tokens.created', { name: token.name }))
    return ctx.response.redirect('/profile/tokens')
  }

  async destroy(ctx: HttpContext) {
    const user = ctx.auth.user as User
    const revoked = await revokeToken(user.id, Number(ctx.params.id), {
      by: 'owner',
      owner: { id: user.id, email: user.email },
    })
    if (!revoked) throw notFound()
    ctx.session.flash('success', ctx.i18n.t('tokens.revoked'))
    return ctx.response.redirect('/profile/tokens')
  }

  async apiIndex(ctx: HttpContext) {
    const user = ctx.auth.user as User
    return { data: await listTokens(user.id, { currentId: currentTokenId(ctx) }) }
  }

  async apiStore(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(createTokenValidator)
    const { token, secret } = await createToken(ctx.auth.user as User, ctx.access, data)
    ctx.response.status(201)
    return { data: { ...token, secret } }
  }

  async apiDestroy(ctx: HttpContext) {
    const user = ctx.auth.user as User
    const revoked = await revokeToken(user.id, Number(ctx.params.id), {
      by: 'owner',
      owner: { id: user.id, email: user.email },
    })
    if (!revoked) throw notFound()
    return ctx.response.noContent()
  }

  /* A member's tokens, for admins: only members of the current company */

  async #member(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    const member = Number.isInteger(id) ? await findMember(ctx.access.companyId, id) : null
    if (!member) throw notFound('User')
    return member
  }

  async #adminRevoke(ctx: HttpContext) {
    const member = await this.#member(ctx)
    const revoked = await revokeToken(member.id, Number(ctx.params.tokenId), {
      by: 'admin',
      owner: { id: member.id, email: member.email },
    })
    if (!revoked) throw notFound()
    return member
  }

  async adminDestroy(ctx: HttpContext) {
    const member = await this.#adminRevoke(ctx)
    ctx.session.flash('success', ctx.i18n.t('tokens.revoked'))
    return ctx.response.redirect(`/settings/users/${member.id}`)
  }

  async apiAdminIndex(ctx: HttpContext) {
    const member = await this.#member(ctx)
    return { data: await listTokens(member.id, { currentId: currentTokenId(ctx) }) }
  }

  async apiAdminDestroy(ctx: HttpContext) {
    await this.#adminRevoke(ctx)
    return ctx.response.noContent()
  }
}
