import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * Who works in a company: its members and teams, as modules may read them.
 * Modules call these instead of querying the kernel's tables.
 */

export async function companyMembers(
  companyId: number,
  client: QueryClientContract = db.connection()
) {
  const rows = await client
    .from('company_users')
    .join('users', 'users.id', 'company_users.user_id')
    .where('company_users.company_id', companyId)
    .orderBy('users.full_name')
    .select('users.id', 'users.full_name', 'users.email')
  return rows.map((row) => ({ id: row.id as number, name: (row.full_name ?? row.email) as string }))
}

export async function companyTeams(
  companyId: number,
  client: QueryClientContract = db.connection()
) {
  const rows = await client
    .from('teams')
    .where('company_id', companyId)
    .orderBy('name')
    .select('id', 'name')
  return rows.map((row) => ({ id: row.id as number, name: row.name as string }))
}

export async function isCompanyMember(
  companyId: number,
  userId: number,
  client: QueryClientContract = db.connection()
) {
  const row = await client
    .from('company_users')
    .where({ company_id: companyId, user_id: userId })
    .first()
  return Boolean(row)
}

export async function isCompanyTeam(
  companyId: number,
  teamId: number,
  client: QueryClientContract = db.connection()
) {
  const row = await client.from('teams').where({ company_id: companyId, id: teamId }).first()
  return Boolean(row)
}
