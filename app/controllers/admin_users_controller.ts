import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import type User from '#models/user'
import { fieldError } from '#kernel/http/field_error'
import { companyTeams } from '#kernel/security/directory'
import {
  listMembers,
  findMember,
  companyRoles,
  inviteMember,
  updateMember,
  MemberRefusal,
} from '#kernel/users/members'
import { sessionsOf, endSession, endSessionsOf } from '#kernel/users/sessions'
import { listTokens } from '#kernel/users/api_tokens'
import { sessionsEndedByAdmin } from '#kernel/audit/auth_events'
import { mfaStatus, resetMfaByAdmin } from '#kernel/security/mfa'
import { inviteUserValidator, updateMemberValidator, listUsersValidator } from '#validators/users'

/** The members of the current company: pages under /settings/users and /api/v1/admin/users. */
export default class AdminUsersController {
  /** The member the route names, in the current company; 404 otherwise. */
  async #member({ params, access }: HttpContext) {
    const id = Number(params.id)
    const member = Number.isInteger(id) ? await findMember(access.companyId, id) : null
    if (!member) throw new Exception('User not found', { status: 404, code: 'E_NOT_FOUND' })
    return member
  }

  async #run<T>(ctx: HttpContext, action: () => Promise<T>) {
    try {
      return await action()
    } catch (error) {
      if (error instanceof MemberRefusal) {
        throw fieldError(error.field, ctx.i18n.t(error.key), error.rule)
      }
      throw error
    }
  }

  async index({ inertia, access, request }: HttpContext) {
    const { after } = await request.validateUsing(listUsersValidator, { data: request.qs() })
    const page = await listMembers(access.companyId, { after })
    return inertia.render('settings/users', {
      users: page.data,
      next: page.next,
      roles: await companyRoles(),
      teams: await companyTeams(access.companyId),
    })
  }

  async show(ctx: HttpContext) {
    const member = await this.#member(ctx)
    return ctx.inertia.render('settings/user', {
      member,
      roles: await companyRoles(),
      teams: await companyTeams(ctx.access.companyId),
      sessions: await sessionsOf(member.id, ctx.session.sessionId),
      tokens: await listTokens(member.id),
      mfa: await mfaStatus(member.id),
      isSelf: member.id === ctx.auth.user!.id,
    })
  }

  async invite(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(inviteUserValidator)
    await this.#run(ctx, () => inviteMember(ctx.access.companyId, ctx.auth.user as User, data))
    ctx.session.flash('success', ctx.i18n.t('users.invited', { email: data.email }))
    return ctx.response.redirect('/settings/users')
  }

  async update(ctx: HttpContext) {
    const member = await this.#member(ctx)
    const data = await ctx.request.validateUsing(updateMemberValidator)
    await this.#run(ctx, () =>
      updateMember(ctx.access.companyId, ctx.auth.user!.id, member.id, data)
    )
    const message =
      data.isActive === false
        ? 'users.deactivated'
        : data.isActive === true
          ? 'users.activated'
          : 'users.saved'
    ctx.session.flash('success', ctx.i18n.t(message))
    return ctx.response.redirect(`/settings/users/${member.id}`)
  }

  async endSession(ctx: HttpContext) {
    const member = await this.#member(ctx)
    if (await endSession(member.id, String(ctx.params.sessionId))) {
      await sessionsEndedByAdmin(member.id, 1, 'one')
    }
    ctx.session.flash('success', ctx.i18n.t('users.sessions_ended'))
    return ctx.response.redirect(`/settings/users/${member.id}`)
  }

  async endSessions(ctx: HttpContext) {
    const member = await this.#member(ctx)
    const ended = await endSessionsOf(member.id, ctx.session.sessionId)
    if (ended) await sessionsEndedByAdmin(member.id, ended, 'all')
    ctx.session.flash('success', ctx.i18n.t('users.sessions_ended'))
    return ctx.response.redirect(`/settings/users/${member.id}`)
  }

  /**
   * Switches a member's second factor off (lost authenticator and recovery
   * codes) and ends their sessions. Not for oneself: the profile asks for
   * the password and a code for that.
   */
  async #resetMfa(ctx: HttpContext) {
    const member = await this.#member(ctx)
    if (member.id === ctx.auth.user!.id) {
      throw fieldError('mfa', ctx.i18n.t('users.mfa_not_yourself'), 'not_yourself')
    }
    const reset = await resetMfaByAdmin(member.id)
    const ended = reset ? await endSessionsOf(member.id) : 0
    if (ended) await sessionsEndedByAdmin(member.id, ended, 'all')
    return { member, reset, ended }
  }

  async resetMfa(ctx: HttpContext) {
    const { member } = await this.#resetMfa(ctx)
    ctx.session.flash('success', ctx.i18n.t('users.mfa_reset_done'))
    return ctx.response.redirect(`/settings/users/${member.id}`)
  }

  /* API */

  async apiResetMfa(ctx: HttpContext) {
    const { reset, ended } = await this.#resetMfa(ctx)
    return { data: { reset, sessionsEnded: ended } }
  }

  async apiIndex({ access, request }: HttpContext) {
    const { after, limit } = await request.validateUsing(listUsersValidator, {
      data: request.qs(),
    })
    return listMembers(access.companyId, { after, limit })
  }

  async apiShow(ctx: HttpContext) {
    return { data: await this.#member(ctx) }
  }

  async apiInvite(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(inviteUserValidator)
    const user = await this.#run(ctx, () =>
      inviteMember(ctx.access.companyId, ctx.auth.user as User, data)
    )
    ctx.response.status(201)
    return { data: await findMember(ctx.access.companyId, user.id) }
  }

  async apiUpdate(ctx: HttpContext) {
    const member = await this.#member(ctx)
    const data = await ctx.request.validateUsing(updateMemberValidator)
    await this.#run(ctx, () =>
      updateMember(ctx.access.companyId, ctx.auth.user!.id, member.id, data)
    )
    return { data: await findMember(ctx.access.companyId, member.id) }
  }

  async apiSessions(ctx: HttpContext) {
    const member = await this.#member(ctx)
    return { data: await sessionsOf(member.id) }
  }

  async apiEndSession(ctx: HttpContext) {
    const member = await this.#member(ctx)
    if (!(await endSession(member.id, String(ctx.params.sessionId)))) {
      throw new Exception('Session not found', { status: 404, code: 'E_NOT_FOUND' })
    }
    await sessionsEndedByAdmin(member.id, 1, 'one')
    return ctx.response.noContent()
  }

  async apiEndSessions(ctx: HttpContext) {
    const member = await this.#member(ctx)
    const ended = await endSessionsOf(member.id)
    if (ended) await sessionsEndedByAdmin(member.id, ended, 'all')
    return { data: { ended } }
  }
}
