/**
 * Natural slate roofing per DTU 40.11: from a slate format and a roof to the
 * overlap, the gauge and the quantities to order. Pure: no database, no I/O —
 * the recouvrement table is an input — so the server and the calculator page
 * run the very same code.
 *
 * Figures are computed unrounded throughout (Ph from the raw cosine, a pitch in
 * degrees turned into % before the row is chosen); only returned figures are
 * rounded.
 *
 * Tolerance policy. Inputs are lengths in metres and millimetres, pitches in %
 * or degrees; binary floating point turns some exact values into near misses
 * (7 m at 75 % gives Ph = 5.500000000000001, tan(45°) × 100 = 99.99999999999999,
 * 20 slates/m² × 10 m² × 1.05 = 210.00000000000003). A value within EPSILON of a
 * limit is taken as the limit itself: Ph ≤ 5.5 + ε is band 1, a pitch ≥ row − ε
 * uses that row, and a quantity within ε of a whole number is that number before
 * it is rounded up. ε = 1e-9 is a millionth of a millimetre on a length in
 * metres, far below anything measured on a roof, so it only ever absorbs
 * arithmetic noise, never a real difference.
 */

export const EPSILON = 1e-9

/** Upper limits of the horizontal projection bands, in metres (band 1, 2, 3). */
export const BAND_LIMITS = [5.5, 11, 16.5] as const

export const ZONES = [1, 2, 3] as const
export const SITUATIONS = ['protegee', 'normale', 'exposee'] as const
export const FIXINGS = ['crochet', 'clou'] as const
export const REASONS = ['pitch_too_low', 'slate_too_short', 'special_study'] as const

export type Zone = (typeof ZONES)[number]
export type Band = 1 | 2 | 3
export type Situation = (typeof SITUATIONS)[number]
export type Fixing = (typeof FIXINGS)[number]
export type RefusalReason = (typeof REASONS)[number]

/** Density of natural slate, kg/m³ (2.75 t/m³). */
export const SLATE_DENSITY = 2750

/** Exposed sites: the overlap of situation normale × 1.10, rounded up to the mm. */
export const EXPOSED_FACTOR_PERCENT = 110

/** Nails per slate when nailing. */
export const NAILS_PER_SLATE = 2

export const DEFAULT_WASTE_PERCENT = 5

/** One overlap in mm, or null where the table has "–" (not allowed). */
export type Cell = number | null

/**
 * A row of the table: the pitch in % it starts at, and the overlaps for
 * situation normale as `cells[zone - 1][band - 1]`.
 */
export interface TableRow {
  pitch: number
  cells: [Cell, Cell, Cell][]
}

export interface RecouvrementTable {
  /** e.g. "DTU 40.11 (1977/1993) — site normal v1", reported with every result */
  label: string
  rows: TableRow[]
}

export interface CalculationInput {
  /** Slate length × width in mm; thickness in mm for the weight (optional). */
  slate: { length: number; width: number; thickness?: number | null }
  /** Give exactly one of pitchPercent and pitchDegrees. */
  pitchPercent?: number | null
  pitchDegrees?: number | null
  zone: Zone
  situation: Situation
  /** Rafter length along the slope, m */
  rampant: number
  /** Roof area to cover, m² */
  area: number
  /** Waste, % (5 by default) */
  wastePercent?: number | null
  fixing: Fixing
  /** Gap between slates of a course, mm, added to the width (0 by default) */
  jointGap?: number | null
}

/** What led to the result, for the page's explanation and refusals' figures. */
interface Basis {
  /** Pitch in %, rounded to 2 decimals (converted when given in degrees) */
  pitchPercent: number
  /** Pitch in degrees, rounded to 2 decimals */
  pitchDegrees: number
  zone: Zone
  situation: Situation
  /** Ph in m, rounded to 2 decimals */
  horizontalProjection: number
  band: Band | null
  tableVersion: string
}

export interface FeasibleResult extends Basis {
  feasible: true
  band: Band
  /** Pitch of the table row used, % */
  tablePitch: number
  /** Overlap of situation normale read in the table, mm */
  tableRecouvrement: number
  /** Overlap applied (× 1.10 rounded up when exposed), mm */
  recouvrement: number
  /** 3 × R, mm */
  minimumLength: number
  /** (L − R) / 2, mm (a multiple of 0.5) */
  pureau: number
  /** Batten spacing = pureau, mm */
  battenSpacing: number
  slatesPerM2: number
  totalSlates: number
  fixing: Fixing
  hookLength: number | null
  hooks: number | null
  nails: number
  battensMeters: number
  weightPerM2: number | null
  totalWeightKg: number | null
}

export interface RefusedResult extends Basis {
  feasible: false
  reason: RefusalReason
  /** The row found (pitch_too_low: null when the pitch is below every row) */
  tablePitch: number | null
  recouvrement: number | null
  minimumLength: number | null
  slateLength: number
  /** The lowest pitch of the table with an overlap for this zone and band, when any */
  lowestPitch: number | null
}

export type CalculationResult = FeasibleResult | RefusedResult

/** A programming or data error (invalid input reaching the pure function): never a refusal. */
export class CalculationInputError extends Error {}

function round(value: number, decimals: number) {
  const factor = 10 ** decimals
  return Math.round((value + Number.EPSILON) * factor) / factor
}

/** Rounds up, a value within EPSILON of a whole number being that number. */
export function ceilTolerant(value: number) {
  const nearest = Math.round(value)
  return Math.abs(value - nearest) <= EPSILON ? nearest : Math.ceil(value)
}

export function degreesToPercent(degrees: number) {
  return Math.tan((degrees * Math.PI) / 180) * 100
}

export function percentToDegrees(percent: number) {
  return (Math.atan(percent / 100) * 180) / Math.PI
}

/** Ph = rampant × cos(atan(pitch % / 100)), unrounded. */
export function horizontalProjection(rampant: number, pitchPercent: number) {
  return rampant * Math.cos(Math.atan(pitchPercent / 100))
}

/** Band of a horizontal projection, or null beyond 16.5 m (special study). */
export function bandOf(ph: number): Band | null {
  for (const [index, limit] of BAND_LIMITS.entries()) {
    if (ph <= limit + EPSILON) return (index + 1) as Band
  }
  return null
}

/** The row with the largest pitch ≤ the roof's pitch (rows sorted by pitch), or null. */
export function rowFor(table: RecouvrementTable, pitchPercent: number): TableRow | null {
  let found: TableRow | null = null
  for (const row of table.rows) {
    if (row.pitch <= pitchPercent + EPSILON) found = row
    else break
  }
  return found
}

/** The overlap for a situation: normale and protégée as read, exposée × 1.10 rounded up. */
export function recouvrementFor(tableValue: number, situation: Situation) {
  if (situation !== 'exposee') return tableValue
  // Integer arithmetic first: 130 × 1.1 is 143.00000000000003 in floating point.
  return ceilTolerant((tableValue * EXPOSED_FACTOR_PERCENT) / 100)
}

/** Hook length: R + 3 mm, rounded up to the next 10 mm. */
export function hookLengthFor(recouvrement: number) {
  return ceilTolerant((recouvrement + 3) / 10) * 10
}

/** The lowest pitch whose row has an overlap for this zone and band. */
function lowestPitch(table: RecouvrementTable, zone: Zone, band: Band) {
  return table.rows.find((row) => (row.cells[zone - 1]?.[band - 1] ?? null) !== null)?.pitch ?? null
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

function checkInput(input: CalculationInput) {
  const problems: string[] = []
  if (!positive(input.slate?.length)) problems.push('slate.length')
  if (!positive(input.slate?.width)) problems.push('slate.width')
  if ((input.slate?.thickness ?? null) !== null && !positive(input.slate.thickness))
    problems.push('slate.thickness')
  const hasPercent = (input.pitchPercent ?? null) !== null
  const hasDegrees = (input.pitchDegrees ?? null) !== null
  if (hasPercent === hasDegrees) problems.push('pitch')
  if (hasPercent && !positive(input.pitchPercent)) problems.push('pitchPercent')
  if (hasDegrees && !(positive(input.pitchDegrees) && input.pitchDegrees < 90)) {
    problems.push('pitchDegrees')
  }
  if (!ZONES.includes(input.zone)) problems.push('zone')
  if (!SITUATIONS.includes(input.situation)) problems.push('situation')
  if (!FIXINGS.includes(input.fixing)) problems.push('fixing')
  if (!positive(input.rampant)) problems.push('rampant')
  if (!positive(input.area)) problems.push('area')
  const waste = input.wastePercent ?? DEFAULT_WASTE_PERCENT
  if (!(Number.isFinite(waste) && waste >= 0)) problems.push('wastePercent')
  const gap = input.jointGap ?? 0
  if (!(Number.isFinite(gap) && gap >= 0)) problems.push('jointGap')
  if (problems.length) throw new CalculationInputError(`Invalid input: ${problems.join(', ')}`)
}

/**
 * The calculation. Refusals (`pitch_too_low`, `slate_too_short`,
 * `special_study`) are results carrying the figures that led to them; only
 * input the validators should have refused throws.
 */
export function calculate(table: RecouvrementTable, input: CalculationInput): CalculationResult {
  checkInput(input)
  const { length, width } = input.slate
  const pitch = input.pitchPercent ?? degreesToPercent(input.pitchDegrees!)
  const ph = horizontalProjection(input.rampant, pitch)
  const band = bandOf(ph)
  const basis: Basis = {
    pitchPercent: round(pitch, 2),
    pitchDegrees: round(input.pitchDegrees ?? percentToDegrees(pitch), 2),
    zone: input.zone,
    situation: input.situation,
    horizontalProjection: round(ph, 2),
    band,
    tableVersion: table.label,
  }
  const refuse = (
    reason: RefusalReason,
    figures: Partial<
      Pick<RefusedResult, 'tablePitch' | 'recouvrement' | 'minimumLength' | 'lowestPitch'>
    > = {}
  ): RefusedResult => ({
    feasible: false,
    reason,
    ...basis,
    tablePitch: null,
    recouvrement: null,
    minimumLength: null,
    slateLength: length,
    lowestPitch: null,
    ...figures,
  })

  // 1. Beyond 16.5 m of horizontal projection the table does not apply.
  if (band === null) return refuse('special_study')

  // 2. The row with the largest pitch ≤ the roof's: the conservative choice.
  const row = rowFor(table, pitch)
  const tableValue = row?.cells[input.zone - 1]?.[band - 1] ?? null
  if (row === null || tableValue === null) {
    return refuse('pitch_too_low', {
      tablePitch: row?.pitch ?? null,
      lowestPitch: lowestPitch(table, input.zone, band),
    })
  }

  // 3. Overlap for the situation; 4. the slate must be at least 3R long.
  const recouvrement = recouvrementFor(tableValue, input.situation)
  const minimumLength = 3 * recouvrement
  if (length < minimumLength) {
    return refuse('slate_too_short', { tablePitch: row.pitch, recouvrement, minimumLength })
  }

  // 5.–9. Gauge and quantities, each from unrounded values, rounded once.
  const pureau = (length - recouvrement) / 2
  const coveredWidth = width + (input.jointGap ?? 0)
  const perM2 = 1_000_000 / (pureau * coveredWidth)
  const waste = input.wastePercent ?? DEFAULT_WASTE_PERCENT
  const totalSlates = ceilTolerant((perM2 * input.area * (100 + waste)) / 100)
  const hooked = input.fixing === 'crochet'
  const thickness = input.slate.thickness ?? null
  // 10. Weight (informative): volume of one slate × 2.75 t/m³.
  const slateKg = thickness === null ? null : ((length * width * thickness) / 1e9) * SLATE_DENSITY

  return {
    feasible: true,
    ...basis,
    band,
    tablePitch: row.pitch,
    tableRecouvrement: tableValue,
    recouvrement,
    minimumLength,
    pureau,
    battenSpacing: pureau,
    slatesPerM2: round(perM2, 2),
    totalSlates,
    fixing: input.fixing,
    hookLength: hooked ? hookLengthFor(recouvrement) : null,
    hooks: hooked ? totalSlates : null,
    nails: hooked ? 0 : NAILS_PER_SLATE * totalSlates,
    battensMeters: Math.round((input.area * 1000) / pureau),
    weightPerM2: slateKg === null ? null : round(perM2 * slateKg, 2),
    totalWeightKg: slateKg === null ? null : Math.round(totalSlates * slateKg),
  }
}

/**
 * Checks a table's shape: rows sorted by strictly increasing pitch, three
 * zones of three bands each, overlaps whole positive millimetres or null.
 * Returns the problems found (empty when the table is usable).
 */
export function tableProblems(table: Pick<RecouvrementTable, 'rows'>): string[] {
  const problems: string[] = []
  if (!table.rows.length) problems.push('The table has no rows')
  let previous = -Infinity
  for (const row of table.rows) {
    if (!positive(row.pitch)) problems.push(`Invalid pitch ${row.pitch}`)
    else if (row.pitch <= previous) problems.push(`Pitch ${row.pitch} is not above ${previous}`)
    previous = row.pitch
    if (row.cells.length !== 3 || row.cells.some((zone) => zone.length !== 3)) {
      problems.push(`Row ${row.pitch}: 3 zones of 3 bands expected`)
      continue
    }
    for (const cell of row.cells.flat()) {
      if (cell !== null && !(Number.isInteger(cell) && cell > 0)) {
        problems.push(`Row ${row.pitch}: overlap ${cell} is not a whole number of mm`)
      }
    }
  }
  return problems
}
