import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import User from '#models/user'
import Company from '#models/company'
import { addMember } from '#services/companies'
import { forgetAccess } from '#kernel/security/access'
import { isCompanyTeam } from '#kernel/security/directory'
import { issueToken } from '#kernel/users/tokens'
import { endSessionsOf } from '#kernel/users/sessions'
import { revokeAllTokens } from '#kernel/users/api_tokens'
import { record, diff } from '#kernel/audit/audit'
import { sendInvitationMail } from '#kernel/mail/user_mails'

export interface MemberJson {
  id: number
  email: string
  fullName: string | null
  locale: string
  isActive: boolean
  pending: boolean
  role: string
  teamIds: number[]
}

/** Why an admin operation was refused, tied to the form field it concerns. */
export class MemberRefusal extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly rule: string
  ) {
    super(key)
  }
}

/**
 * A company's members, by id, one page at a time: keyset pagination (ids
 * after `after`), so deep pages cost what the first does.
 */
export async function listMembers(
  companyId: number,
  options: { after?: number; limit?: number; userId?: number } = {}
) {
  const limit = options.limit ?? 50
  const query = db
    .from('company_users')
    .join('users', 'users.id', 'company_users.user_id')
    .join('roles', 'roles.id', 'company_users.role_id')
    .where('company_users.company_id', companyId)
    .orderBy('users.id')
    .select(
      'users.id',
      'users.email',
      'users.full_name',
      'users.locale',
      'users.is_active',
      'roles.key as role'
    )
    .select(
      db.raw(
        `exists (select 1 from user_tokens ut where ut.user_id = users.id and ut.purpose = 'invite' and ut.used_at is null) as pending`
      )
    )
  if (options.userId) query.where('users.id', options.userId)
  if (options.after) query.where('users.id', '>', options.after)
  const rows = await query.limit(limit + 1)
  const page = rows.slice(0, limit)
  const ids = page.map((row) => row.id as number)
  const teams = ids.length
    ? await db
        .from('team_users')
        .join('teams', 'teams.id', 'team_users.team_id')
        .where('teams.company_id', companyId)
        .whereIn('team_users.user_id', ids)
        .select('team_users.user_id', 'team_users.team_id')
    : []
  const data: MemberJson[] = page.map((row) => ({
    id: row.id,
    email: row.email,
    fullName: row.full_name ?? null,
    locale: row.locale,
    isActive: Boolean(row.is_active),
    pending: Boolean(row.pending),
    role: row.role,
    teamIds: teams.filter((t) => t.user_id === row.id).map((t) => t.team_id as number),
  }))
  return { data, next: rows.length > limit ? ids[ids.length - 1] : null }
}

export async function findMember(companyId: number, userId: number) {
  const { data } = await listMembers(companyId, { userId, limit: 1 })
  return data[0] ?? null
}

export async function companyRoles() {
  const rows = await db.from('roles').orderBy('id').select('key', 'name')
  return rows.map((r) => ({ key: r.key as string, name: r.name as string }))
}

async function checkTeams(companyId: number, teamIds: number[], client: QueryClientContract) {
  for (const id of teamIds) {
    if (!(await isCompanyTeam(companyId, id, client))) {
      throw new MemberRefusal('teamIds', 'validator.shared.messages.exists', 'exists')
    }
  }
}

async function setTeams(
  companyId: number,
  userId: number,
  teamIds: number[],
  client: QueryClientContract
) {
  const companyTeams = client.from('teams').where('company_id', companyId).select('id')
  await client.from('team_users').where('user_id', userId).whereIn('team_id', companyTeams).delete()
  for (const teamId of new Set(teamIds)) {
    await client.table('team_users').insert({ team_id: teamId, user_id: userId })
  }
}

async function checkRole(role: string, client: QueryClientContract) {
  const row = await client.from('roles').where('key', role).first()
  if (!row) throw new MemberRefusal('role', 'validator.shared.messages.exists', 'exists')
}

/**
 * Invites someone into a company with a role and teams. A new address gets
 * an account with no usable password and a mail whose link (48 h, single
 * use) lets them choose one; an existing account is added to the company
 * and mailed the same way, so they learn of it.
 */
export async function inviteMember(
  companyId: number,
  inviter: User,
  input: { email: string; fullName?: string; role: string; teamIds?: number[]; locale?: string }
) {
  const company = await Company.findOrFail(companyId)
  const { user, secret } = await db.transaction(async (trx) => {
    await checkRole(input.role, trx)
    await checkTeams(companyId, input.teamIds ?? [], trx)
    let invited = await User.query({ client: trx }).where('email', input.email).first()
    const existingAccount = Boolean(invited)
    if (invited) {
      const member = await trx
        .from('company_users')
        .where({ company_id: companyId, user_id: invited.id })
        .first()
      if (member) throw new MemberRefusal('email', 'users.already_member', 'unique')
    } else {
      invited = await User.create(
        {
          email: input.email,
          fullName: input.fullName ?? null,
          // Unknown to anyone: the account is usable only once the invitee sets a password.
          password: randomBytes(32).toString('base64url'),
          locale: input.locale ?? company.locale ?? 'fr',
          isActive: true,
          currentCompanyId: companyId,
        },
        { client: trx }
      )
    }
    await addMember(trx, companyId, invited.id, input.role)
    await setTeams(companyId, invited.id, input.teamIds ?? [], trx)
    await record(trx, {
      event: 'user.invited',
      model: 'kernel.user',
      recordId: invited.id,
      after: {
        email: invited.email,
        fullName: invited.fullName,
        role: input.role,
        teamIds: [...new Set(input.teamIds ?? [])].sort((a, b) => a - b),
      },
      meta: { existingAccount },
      actor: { companyId },
    })
    return { user: invited, secret: await issueToken(invited.id, 'invite', trx) }
  })
  forgetAccess()
  await sendInvitationMail({
    to: user.email,
    locale: user.locale,
    secret,
    company: company.name,
    inviter: inviter.displayName,
  })
  return user
}

/** A member's role, teams (sorted ids) and active state in a company, as the audit trail compares them. */
async function memberState(companyId: number, userId: number, client: QueryClientContract) {
  const [membership, teams, user] = await Promise.all([
    client
      .from('company_users')
      .join('roles', 'roles.id', 'company_users.role_id')
      .where({ 'company_users.company_id': companyId, 'company_users.user_id': userId })
      .select('roles.key')
      .first(),
    client
      .from('team_users')
      .join('teams', 'teams.id', 'team_users.team_id')
      .where('teams.company_id', companyId)
      .where('team_users.user_id', userId)
      .select('teams.id'),
    client.from('users').where('id', userId).select('is_active').first(),
  ])
  return {
    role: (membership?.key as string | undefined) ?? null,
    teamIds: teams.map((t) => Number(t.id)).sort((a, b) => a - b),
    isActive: Boolean(user?.is_active),
  }
}

/**
 * Changes a member's role, teams or active state. Deactivating ends all
 * their sessions and revokes all their tokens at once. Admins may not
 * deactivate or demote themselves (a site must keep an admin). The audit
 * trail gets `user.updated` for a role or team change and
 * `user.activated`/`user.deactivated` (and one `token.revoked` per token),
 * written in the same transaction.
 */
export async function updateMember(
  companyId: number,
  actorId: number,
  userId: number,
  input: { role?: string; teamIds?: number[]; isActive?: boolean }
) {
  if (actorId === userId && (input.isActive === false || (input.role && input.role !== 'admin'))) {
    throw new MemberRefusal('role', 'users.not_yourself', 'self')
  }
  await db.transaction(async (trx) => {
    const before = await memberState(companyId, userId, trx)
    if (input.role) {
      await checkRole(input.role, trx)
      await addMember(trx, companyId, userId, input.role)
    }
    if (input.teamIds) {
      await checkTeams(companyId, input.teamIds, trx)
      await setTeams(companyId, userId, input.teamIds, trx)
    }
    if (input.isActive !== undefined) {
      const user = await User.findOrFail(userId, { client: trx })
      user.isActive = input.isActive
      await user.save()
    }
    const after = await memberState(companyId, userId, trx)
    const actor = { companyId }
    const assignment = { role: before.role, teamIds: before.teamIds }
    const assigned = { role: after.role, teamIds: after.teamIds }
    if (Object.keys(diff(assignment, assigned)).length) {
      await record(trx, {
        event: 'user.updated',
        model: 'kernel.user',
        recordId: userId,
        before: assignment,
        after: assigned,
        actor,
      })
    }
    if (before.isActive !== after.isActive) {
      await record(trx, {
        event: after.isActive ? 'user.activated' : 'user.deactivated',
        model: 'kernel.user',
        recordId: userId,
        before: { isActive: before.isActive },
        after: { isActive: after.isActive },
        actor,
      })
    }
    if (input.isActive === false) {
      await revokeAllTokens(trx, userId, { by: 'admin', reason: 'deactivated' }, actor)
    }
  })
  forgetAccess()
  if (input.isActive === false) await endSessionsOf(userId)
}
