import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import registry from '#kernel/modules/registry'
import { createCompany, addMember } from '#services/companies'
import { dbNow } from '#kernel/db/timestamp'

/** The demo admin's login, printed at first run. Development only. */
export const DEMO_LOGIN = { email: 'admin@demo.charpente.fr', password: 'charpente-demo' }

/**
 * A demo company ("Toitures Martin") with an admin, a manager and a
 * technician, and each enabled module's demo data — all in one transaction.
 */
export async function seedDemo() {
  await db.transaction(async (trx) => {
    const company = await createCompany(trx, {
      name: 'Toitures Martin',
      legalName: 'Toitures Martin SARL',
      legalForm: 'SARL',
      siren: '732829320',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      rcs: 'RCS Rennes 732 829 320',
      capitalCents: 1_000_000,
      addressLine1: '12 rue des Ardoisiers',
      postalCode: '35000',
      city: 'Rennes',
      country: 'FR',
      email: 'contact@toitures-martin.fr',
      phone: '02 99 00 00 00',
      decennialInsurance: 'Assurance décennale n° DEC-2026-001, SMABTP',
    })
    const admin = await User.create(
      {
        email: DEMO_LOGIN.email,
        fullName: 'Claire Martin',
        password: DEMO_LOGIN.password,
        isActive: true,
        locale: 'fr',
        currentCompanyId: company.id,
      },
      { client: trx }
    )
    await addMember(trx, company.id, admin.id, 'admin')
    const [team] = await trx
      .table('teams')
      .insert({
        company_id: company.id,
        name: 'Équipe couverture',
        created_at: dbNow(trx),
        updated_at: dbNow(trx),
      })
      .returning('id')
    const teamId = typeof team === 'object' ? team.id : team
    for (const [email, name, role] of [
      ['manager@demo.charpente.fr', 'Paul Le Gall', 'manager'],
      ['technicien@demo.charpente.fr', 'Yann Briand', 'technician'],
    ]) {
      const user = await User.create(
        {
          email,
          fullName: name,
          password: DEMO_LOGIN.password,
          isActive: true,
          locale: 'fr',
          currentCompanyId: company.id,
        },
        { client: trx }
      )
      await addMember(trx, company.id, user.id, role)
      await trx.table('team_users').insert({ team_id: teamId, user_id: user.id })
    }
    const enabled = await trx.from('modules').where('enabled', true).select('name')
    for (const manifest of registry.all()) {
      if (!manifest.demo || !enabled.some((row) => row.name === manifest.name)) continue
      await manifest.demo({ app, client: trx, companyId: company.id, userId: admin.id })
    }
  })
}
