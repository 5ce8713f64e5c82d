import { Access } from '#kernel/security/access'
import { createCompany } from '#services/companies'
import db from '@adonisjs/lucid/services/db'
import CalculationService from '../services/calculations.js'
import FormatService from '../services/formats.js'
import { activeTable } from '../services/tables.js'

/**
 * Test factories for the permission matrix (tests/functional/permission_matrix.spec.ts).
 *
 * Saved calculations are the module's records, with an owner: the default factory
 * makes one owned by `ownerId`. Slate formats and table versions belong to the
 * company as a whole (no owner, no team): the only scope that excludes them is
 * another company's, so their factories make them in a company of their own.
 */
export async function createRecord(companyId: number, ownerId: number) {
  // Written as an admin of the company: the factory makes data, it tests no access.
  const access = new Access(ownerId, companyId, 'admin', new Map(), [])
  const text = `Matrix ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  const calculation = await new CalculationService(access).save({
    title: text,
    slate: { length: 400, width: 250 },
    pitchPercent: 60,
    zone: 1,
    situation: 'normale',
    rampant: 7,
    area: 50,
    fixing: 'crochet',
  })
  return { id: calculation.id, text }
}

async function otherCompany() {
  const company = await db.transaction((trx) =>
    createCompany(trx, { name: `Other ${Math.random().toString(36).slice(2, 8)}` })
  )
  return new Access(0, company.id, 'admin', new Map(), [])
}

async function createFormat() {
  const access = await otherCompany()
  const supplier = `Matrix ${Math.random().toString(36).slice(2, 10)}`
  const format = await new FormatService(access).create({ lengthMm: 410, widthMm: 260, supplier })
  return { id: format.id, text: supplier }
}

async function createTableVersion() {
  const access = await otherCompany()
  const table = await activeTable(access.companyId)
  return { id: table!.id, text: table!.label }
}

export const recordFactories = {
  '/ardoise/formats': createFormat,
  '/api/v1/ardoise/formats': createFormat,
  '/ardoise/tables': createTableVersion,
  '/api/v1/ardoise/tables': createTableVersion,
}
