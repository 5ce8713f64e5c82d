/**
 * The ardoise module's public surface. Other modules (job sites, quotes and
 * invoices) import from this file only, and only if their manifest depends on
 * or integrates 'ardoise'.
 */
import type { Access } from '#kernel/security/access'
import CalculationService from './services/calculations.js'
import { billOfMaterials } from './services/bill_of_materials.js'

export { PERMISSIONS as ARDOISE_PERMISSIONS } from './constants.js'
export { calculate } from './services/calculate.js'
export { billOfMaterials } from './services/bill_of_materials.js'
export {
  CALCULATION_MODEL,
  CALCULATION_SAVED_EVENT,
  type CalculationSavedEvent,
} from './services/calculations.js'
export type { BillOfMaterials, MaterialLine } from './services/bill_of_materials.js'
export type {
  CalculationInput,
  CalculationResult,
  FeasibleResult,
  RefusedResult,
  RefusalReason,
} from './services/calculate.js'

/**
 * What to order for a saved calculation the user may read — slates, hooks or
 * nails, battens, with units and quantities — or null when it is not visible
 * or was refused.
 */
export async function calculationBillOfMaterials(access: Access, id: number) {
  try {
    const calculation = await new CalculationService(access).find(id)
    const bill = billOfMaterials(calculation.result, calculation.inputs.slate)
    return bill ? { calculationId: calculation.id, title: calculation.title, ...bill } : null
  } catch {
    return null
  }
}

/** Saved calculations made for a record of another module (`{ model, id }`), newest first. */
export async function calculationsFor(access: Access, record: { model: string; id: number }) {
  const page = await new CalculationService(access).list({
    recordModel: record.model,
    recordId: record.id,
    limit: 100,
  })
  return page.data.map((c) => ({
    id: c.id,
    title: c.title,
    feasible: c.feasible,
    tableVersion: c.tableLabel,
    createdAt: c.createdAt.toISO(),
  }))
}
