import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  calculate,
  EPSILON,
  SITUATIONS,
  type CalculationInput,
  type FeasibleResult,
} from '../../services/calculate.js'
import { dtuTable } from '../dtu_table.js'

const table = dtuTable()

/** Roofs a roofer could enter: pitches 5–500 %, rafters up to 25 m, up to 2 000 m². */
const roof = fc.record({
  slate: fc.record({
    length: fc.integer({ min: 200, max: 700 }),
    width: fc.integer({ min: 150, max: 400 }),
    thickness: fc.option(fc.double({ min: 2.5, max: 9, noNaN: true }), { nil: null }),
  }),
  pitchPercent: fc.double({ min: 5, max: 500, noNaN: true }),
  zone: fc.constantFrom(1 as const, 2 as const, 3 as const),
  situation: fc.constantFrom(...SITUATIONS),
  rampant: fc.double({ min: 0.5, max: 25, noNaN: true }),
  area: fc.double({ min: 0.5, max: 2000, noNaN: true }),
  wastePercent: fc.double({ min: 0, max: 30, noNaN: true }),
  fixing: fc.constantFrom('crochet' as const, 'clou' as const),
}) satisfies fc.Arbitrary<CalculationInput>

const RUNS = { numRuns: 2000 }

test.group('Ardoise calculation: properties', () => {
  test('more pitch never means more overlap, nor turns a feasible roof down', () => {
    fc.assert(
      fc.property(roof, fc.double({ min: 0, max: 200, noNaN: true }), (input, more) => {
        const low = calculate(table, input)
        const high = calculate(table, { ...input, pitchPercent: input.pitchPercent + more })
        if (low.feasible) {
          if (!high.feasible) return false
          return high.recouvrement <= low.recouvrement
        }
        // A steeper roof has a shorter projection and a row at least as high
        if (low.reason === 'pitch_too_low') return high.feasible || high.reason !== 'special_study'
        if (low.reason === 'slate_too_short') {
          return high.feasible || high.minimumLength! <= low.minimumLength!
        }
        return true
      }),
      RUNS
    )
  })

  test('a longer rafter never means less overlap', () => {
    fc.assert(
      fc.property(roof, fc.double({ min: 0, max: 10, noNaN: true }), (input, more) => {
        const short = calculate(table, input)
        const long = calculate(table, { ...input, rampant: input.rampant + more })
        if (!long.feasible) return true
        return short.feasible && short.recouvrement <= long.recouvrement
      }),
      RUNS
    )
  })

  test('more area never means fewer slates, battens or hooks', () => {
    fc.assert(
      fc.property(roof, fc.double({ min: 0, max: 500, noNaN: true }), (input, more) => {
        const small = calculate(table, input)
        const large = calculate(table, { ...input, area: input.area + more })
        if (!small.feasible || !large.feasible) return small.feasible === large.feasible
        return (
          large.totalSlates >= small.totalSlates &&
          large.battensMeters >= small.battensMeters &&
          large.nails >= small.nails &&
          (large.hooks ?? 0) >= (small.hooks ?? 0)
        )
      }),
      RUNS
    )
  })

  test('more waste never means fewer slates', () => {
    fc.assert(
      fc.property(roof, fc.double({ min: 0, max: 20, noNaN: true }), (input, more) => {
        const a = calculate(table, input) as FeasibleResult
        const b = calculate(table, {
          ...input,
          wastePercent: input.wastePercent! + more,
        }) as FeasibleResult
        return !a.feasible || b.totalSlates >= a.totalSlates
      }),
      RUNS
    )
  })

  test('an exposed site never needs less overlap; a protected one the same as normal', () => {
    fc.assert(
      fc.property(roof, (input) => {
        const normal = calculate(table, { ...input, situation: 'normale' })
        const sheltered = calculate(table, { ...input, situation: 'protegee' })
        const exposed = calculate(table, { ...input, situation: 'exposee' })
        if (JSON.stringify({ ...sheltered, situation: 'normale' }) !== JSON.stringify(normal)) {
          return false
        }
        if (!exposed.feasible) return true
        return normal.feasible && exposed.recouvrement >= normal.recouvrement
      }),
      RUNS
    )
  })

  test('a longer slate never turns a feasible roof down and never needs more slates', () => {
    fc.assert(
      fc.property(roof, fc.integer({ min: 0, max: 200 }), (input, more) => {
        const a = calculate(table, input)
        const b = calculate(table, {
          ...input,
          slate: { ...input.slate, length: input.slate.length + more },
        })
        if (!a.feasible) return true
        return b.feasible && b.totalSlates <= a.totalSlates
      }),
      RUNS
    )
  })

  test('every feasible result holds the rules together', () => {
    fc.assert(
      fc.property(roof, (input) => {
        const r = calculate(table, input)
        if (!r.feasible) {
          // Refusals carry the figures behind them
          if (r.reason === 'special_study') return r.band === null && r.horizontalProjection >= 16.5
          if (r.reason === 'slate_too_short') {
            return r.minimumLength === 3 * r.recouvrement! && input.slate.length < r.minimumLength
          }
          return r.band !== null && r.recouvrement === null
        }
        const L = input.slate.length
        const W = input.slate.width
        const exact = (1_000_000 / (r.pureau * W)) * input.area * (1 + input.wastePercent! / 100)
        return (
          2 * r.pureau + r.recouvrement === L &&
          L >= 3 * r.recouvrement &&
          r.minimumLength === 3 * r.recouvrement &&
          r.tablePitch <= input.pitchPercent + EPSILON &&
          r.recouvrement >= r.tableRecouvrement &&
          r.totalSlates >= exact - EPSILON &&
          r.totalSlates < exact + 1 &&
          Math.abs(r.battensMeters - (input.area * 1000) / r.pureau) <= 0.5 &&
          (input.fixing === 'crochet'
            ? r.hooks === r.totalSlates &&
              r.nails === 0 &&
              r.hookLength! % 10 === 0 &&
              r.hookLength! >= r.recouvrement + 3 &&
              r.hookLength! < r.recouvrement + 13
            : r.hooks === null && r.hookLength === null && r.nails === 2 * r.totalSlates) &&
          ((input.slate.thickness ?? null) === null) === (r.weightPerM2 === null)
        )
      }),
      RUNS
    )
  })

  test('degrees and percent give the same result for the same pitch', () => {
    fc.assert(
      fc.property(roof, (input) => {
        const degrees = (Math.atan(input.pitchPercent / 100) * 180) / Math.PI
        const a = calculate(table, input)
        const b = calculate(table, { ...input, pitchPercent: null, pitchDegrees: degrees })
        return a.feasible === b.feasible && a.tablePitch === b.tablePitch && a.band === b.band
      }),
      RUNS
    )
  })
})

test.group('Ardoise: the seeded DTU table', () => {
  test('has 24 rows from 20 % to 375 % and the cells of the rules', ({ assert }) => {
    assert.lengthOf(table.rows, 24)
    assert.equal(table.rows[0].pitch, 20)
    assert.equal(table.rows.at(-1)!.pitch, 375)
    const at = (pitch: number) => table.rows.find((row) => row.pitch === pitch)!.cells
    assert.deepEqual(at(20), [
      [153, null, null],
      [null, null, null],
      [null, null, null],
    ])
    assert.deepEqual(at(60), [
      [92, 99, 106],
      [103, 109, 117],
      [113, 121, 128],
    ])
    assert.deepEqual(at(375), [
      [58, 61, 65],
      [62, 67, 71],
      [69, 73, 76],
    ])
  })

  test('is monotone: overlaps shrink with pitch and grow with band and zone', ({ assert }) => {
    // The properties above rely on it; a replacement table is checked the same way.
    for (const [i, row] of table.rows.entries()) {
      for (let z = 0; z < 3; z++) {
        for (let b = 0; b < 3; b++) {
          const cell = row.cells[z][b]
          const next = table.rows[i + 1]?.cells[z][b]
          if (cell === null) continue
          if (next !== undefined) assert.isNotNull(next)
          if (next !== undefined && next !== null) assert.isAtMost(next, cell)
          if (b > 0 && row.cells[z][b - 1] !== null) assert.isAtLeast(cell, row.cells[z][b - 1]!)
          if (z > 0 && row.cells[z - 1][b] !== null) assert.isAtLeast(cell, row.cells[z - 1][b]!)
        }
      }
    }
  })
})
