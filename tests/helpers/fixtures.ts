import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import type Company from '#models/company'
import { createCompany, addMember } from '#services/companies'
import { enrolUser, roleRequiresMfa } from '#tests/helpers/mfa'

let counter = 0
function unique() {
  counter += 1
  return `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`
}

export const TEST_PASSWORD = 'correct-horse-battery'

interface MemberOptions {
  /**
   * Switch MFA on for the user. By default, when their role requires it (as
   * admin does): such a member would otherwise be sent to enrolment from
   * every page. `false` leaves a member who has not enrolled yet.
   */
  mfa?: boolean
}

async function enrolIfNeeded(user: User, role: string, options: MemberOptions) {
  if (options.mfa ?? (await roleRequiresMfa(role))) await enrolUser(user)
}

/**
 * A fresh company with one user of the given role. Records made in it are
 * invisible to every other test's company.
 */
export async function companyWithUser(
  role = 'admin',
  options: { companyName?: string } & MemberOptions = {}
) {
  const made = await db.transaction(async (trx) => {
    const company = await createCompany(trx, { name: options.companyName ?? `Test ${unique()}` })
    const user = await User.create(
      {
        email: `${role}-${unique()}@test.charpente.fr`,
        fullName: `${role} user`,
        password: TEST_PASSWORD,
        isActive: true,
        locale: 'fr',
        currentCompanyId: company.id,
      },
      { client: trx }
    )
    await addMember(trx, company.id, user.id, role)
    return { company: company as Company, user: user as User }
  })
  await enrolIfNeeded(made.user, role, options)
  return made
}

/** Adds another member with a role to an existing company. */
export async function memberOf(companyId: number, role: string, options: MemberOptions = {}) {
  const member = await db.transaction(async (trx) => {
    const user = await User.create(
      {
        email: `${role}-${unique()}@test.charpente.fr`,
        fullName: `${role} user`,
        password: TEST_PASSWORD,
        isActive: true,
        locale: 'fr',
        currentCompanyId: companyId,
      },
      { client: trx }
    )
    await addMember(trx, companyId, user.id, role)
    return user
  })
  await enrolIfNeeded(member, role, options)
  return member
}

/** A personal access token (Bearer value) for a user. */
export async function tokenFor(user: User) {
  const token = await User.accessTokens.create(user, ['*'], { name: 'test' })
  return token.value!.release()
}
