import db from '@adonisjs/lucid/services/db'
import { roleAdmin, type Grant } from '#kernel/security/role_admin'
import { forgetAccess } from '#kernel/security/access'
import { dbNow } from '#kernel/db/timestamp'
import { memberOf } from '#tests/helpers/fixtures'

let counter = 0

/** A custom role with exactly these grants (a unique name per call). */
export async function roleWith(grants: Grant[]) {
  counter += 1
  return roleAdmin.create({
    name: `Role ${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`,
    grants,
  })
}

/** A new member of a company holding a role that grants exactly `grants`. */
export async function memberWithGrants(companyId: number, grants: Grant[]) {
  const role = await roleWith(grants)
  return { role, user: await memberOf(companyId, role.key) }
}

/** A team of a company with these members. */
export async function teamOf(companyId: number, userIds: number[]) {
  const client = db.connection()
  const now = dbNow(client)
  counter += 1
  const [row] = await client
    .table('teams')
    .insert({ company_id: companyId, name: `Team ${counter}`, created_at: now, updated_at: now })
    .returning('id')
  const id = typeof row === 'object' ? (row.id as number) : (row as number)
  if (userIds.length) {
    await client
      .table('team_users')
      .multiInsert(userIds.map((user_id) => ({ team_id: id, user_id })))
  }
  forgetAccess()
  return id
}
