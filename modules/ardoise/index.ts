/**
 * The ardoise module's public surface. Other modules import from this file
 * only, and only if their manifest depends on or integrates 'ardoise'.
 */
export { PERMISSIONS as ARDOISE_PERMISSIONS } from './constants.js'
export { calculate } from './services/calculate.js'
export type {
  CalculationInput,
  CalculationResult,
  FeasibleResult,
  RefusedResult,
  RefusalReason,
} from './services/calculate.js'
