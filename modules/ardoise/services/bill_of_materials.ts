import type { CalculationResult } from './calculate.js'

export interface MaterialLine {
  /** What it is: `slate`, `hook`, `nail` or `batten` */
  item: 'slate' | 'hook' | 'nail' | 'batten'
  label: { fr: string; en: string }
  /** `u` (pieces) or `m` (metres) */
  unit: 'u' | 'm'
  quantity: number
  /** Hook length in mm, slate size… */
  detail: string | null
}

export interface BillOfMaterials {
  tableVersion: string
  lines: MaterialLine[]
}

/**
 * What to order for a feasible calculation (null for a refusal): slates, hooks
 * or nails, battens — the lines quotes and job sites turn into their own.
 */
export function billOfMaterials(
  result: CalculationResult,
  slate?: { length: number; width: number }
): BillOfMaterials | null {
  if (!result.feasible) return null
  const size = slate ? `${slate.length}×${slate.width} mm` : null
  const lines: MaterialLine[] = [
    {
      item: 'slate',
      label: { fr: 'Ardoises', en: 'Slates' },
      unit: 'u',
      quantity: result.totalSlates,
      detail: size,
    },
  ]
  if (result.hooks !== null) {
    lines.push({
      item: 'hook',
      label: { fr: 'Crochets', en: 'Hooks' },
      unit: 'u',
      quantity: result.hooks,
      detail: `${result.hookLength} mm`,
    })
  } else {
    lines.push({
      item: 'nail',
      label: { fr: 'Clous', en: 'Nails' },
      unit: 'u',
      quantity: result.nails,
      detail: null,
    })
  }
  lines.push({
    item: 'batten',
    label: { fr: 'Liteaux', en: 'Battens' },
    unit: 'm',
    quantity: result.battensMeters,
    detail: `${result.battenSpacing} mm`,
  })
  return { tableVersion: result.tableVersion, lines }
}
