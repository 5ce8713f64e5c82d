import app from '@adonisjs/core/services/app'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Company from '#models/company'
import registry from '#kernel/modules/registry'
import { ensureSequences } from '#kernel/numbering/numbering'
import { ensureBuiltinRoles } from '#kernel/security/roles'
import { forgetAccess } from '#kernel/security/access'

/**
 * Creates a company inside the caller's transaction and gives it what the
 * enabled modules need (numbering series, required data).
 */
export async function createCompany(
  trx: TransactionClientContract,
  data: Partial<Company> & { name: string }
) {
  const company = await Company.create(
    { country: 'FR', timezone: 'Europe/Paris', locale: 'fr', ...data },
    { client: trx }
  )
  const enabled = await trx.from('modules').where('enabled', true).select('name')
  for (const { name } of enabled) {
    if (!registry.has(name)) continue
    const manifest = registry.get(name)
    await ensureSequences(manifest, company.id, trx)
    if (manifest.seed) await manifest.seed({ app, client: trx, companyId: company.id })
  }
  return company
}

/** Makes a user a member of a company with a role (by key). */
export async function addMember(
  trx: TransactionClientContract,
  companyId: number,
  userId: number,
  roleKey: string
) {
  await ensureBuiltinRoles(trx)
  const role = await trx.from('roles').where('key', roleKey).first()
  if (!role) throw new Error(`Unknown role "${roleKey}"`)
  await trx
    .table('company_users')
    .insert({ company_id: companyId, user_id: userId, role_id: role.id })
    .onConflict(['company_id', 'user_id'])
    .merge({ role_id: role.id })
  forgetAccess()
}
