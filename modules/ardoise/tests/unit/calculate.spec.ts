import { test } from '@japa/runner'
import {
  bandOf,
  calculate,
  CalculationInputError,
  ceilTolerant,
  hookLengthFor,
  percentToDegrees,
  recouvrementFor,
  rowFor,
  type CalculationInput,
  type FeasibleResult,
  type RefusedResult,
} from '../../services/calculate.js'
import { dtuTable } from '../dtu_table.js'

const table = dtuTable()

/** The worked example of the rules: 400×250, 60 %, zone 1, normale, 7 m, 50 m², 5 %. */
const example: CalculationInput = {
  slate: { length: 400, width: 250 },
  pitchPercent: 60,
  zone: 1,
  situation: 'normale',
  rampant: 7,
  area: 50,
  wastePercent: 5,
  fixing: 'crochet',
}

function feasible(input: Partial<CalculationInput>): FeasibleResult {
  const result = calculate(table, { ...example, ...input })
  if (!result.feasible) throw new Error(`Expected feasible, got ${result.reason}`)
  return result
}

function refused(input: Partial<CalculationInput>): RefusedResult {
  const result = calculate(table, { ...example, ...input })
  if (result.feasible) throw new Error('Expected a refusal')
  return result
}

test.group('Ardoise calculation: the worked example', () => {
  test('gives exactly the figures of the rules', ({ assert }) => {
    const result = feasible({})
    assert.containsSubset(result, {
      feasible: true,
      horizontalProjection: 6.0,
      band: 2,
      tablePitch: 60,
      recouvrement: 99,
      pureau: 150.5,
      battenSpacing: 150.5,
      slatesPerM2: 26.58,
      totalSlates: 1396,
      hookLength: 110,
      hooks: 1396,
      nails: 0,
      battensMeters: 332,
      weightPerM2: null,
      totalWeightKg: null,
      minimumLength: 297,
      tableVersion: 'DTU 40.11 (1977/1993) — site normal v1',
    })
  })

  test('total slates come from the unrounded slates per m², rounded once', ({ assert }) => {
    // 54 m²: 26.578… × 54 × 1.05 = 1506.98 → 1507; with 26.58 it would be 1507.09 → 1508
    assert.equal(feasible({ area: 54 }).totalSlates, 1507)
    // 43 m²: exactly 1200 slates (26.58 first would give 1200.09 → 1201)
    assert.equal(feasible({ area: 43 }).totalSlates, 1200)
  })

  test('nailing: no hooks, two nails per slate', ({ assert }) => {
    const result = feasible({ fixing: 'clou' })
    assert.isNull(result.hookLength)
    assert.isNull(result.hooks)
    assert.equal(result.nails, 2792)
    assert.equal(result.totalSlates, 1396)
  })

  test('waste defaults to 5 %', ({ assert }) => {
    assert.equal(feasible({ wastePercent: undefined }).totalSlates, 1396)
    assert.equal(feasible({ wastePercent: null }).totalSlates, 1396)
    // 10 % for a complex roof: ceil(26.578… × 50 × 1.10) = 1462
    assert.equal(feasible({ wastePercent: 10 }).totalSlates, 1462)
    assert.equal(feasible({ wastePercent: 0 }).totalSlates, 1329)
  })
})

test.group('Ardoise calculation: rule 1, horizontal projection and bands', () => {
  test('Ph = rampant × cos(atan(pitch))', ({ assert }) => {
    // 75 %: cos(atan(0.75)) = 0.8 exactly in theory
    assert.equal(feasible({ pitchPercent: 75, rampant: 5 }).horizontalProjection, 4)
    assert.equal(feasible({ pitchPercent: 100, rampant: 10 }).horizontalProjection, 7.07)
  })

  test('Ph exactly 5.5 m is band 1, just above is band 2', ({ assert }) => {
    const at = feasible({ pitchPercent: 75, rampant: 6.875 })
    assert.equal(at.horizontalProjection, 5.5)
    assert.equal(at.band, 1)
    assert.equal(at.recouvrement, 86) // row 70, zone 1, band 1
    const above = feasible({ pitchPercent: 75, rampant: 6.876 })
    assert.equal(above.band, 2)
    assert.equal(above.recouvrement, 92)
  })

  test('Ph exactly 11 m is band 2, just above is band 3', ({ assert }) => {
    assert.equal(feasible({ pitchPercent: 75, rampant: 13.75 }).band, 2)
    const above = feasible({ pitchPercent: 75, rampant: 13.751 })
    assert.equal(above.band, 3)
    assert.equal(above.recouvrement, 98)
  })

  test('Ph exactly 16.5 m is band 3; above it is a special study', ({ assert }) => {
    assert.equal(feasible({ pitchPercent: 75, rampant: 20.625 }).band, 3)
    const beyond = refused({ pitchPercent: 75, rampant: 20.626 })
    assert.equal(beyond.reason, 'special_study')
    assert.equal(beyond.horizontalProjection, 16.5) // 16.5008 shown to 2 decimals
    assert.isNull(beyond.band)
    assert.isNull(beyond.recouvrement)
  })

  test('a special study is refused before the pitch or the slate are looked at', ({ assert }) => {
    const result = refused({ pitchPercent: 10, rampant: 30, slate: { length: 100, width: 100 } })
    assert.equal(result.reason, 'special_study')
    assert.equal(result.horizontalProjection, 29.85)
  })

  test('tolerance: a Ph one ulp above a limit through floating point stays in the band', ({
    assert,
  }) => {
    // 5.5 / cos(atan(1.11)) then × cos(atan(1.11)) comes back as 5.500000000000001
    const rampant = 5.5 / Math.cos(Math.atan(1.11))
    assert.isAbove(rampant * Math.cos(Math.atan(1.11)), 5.5)
    assert.equal(feasible({ pitchPercent: 111, rampant }).band, 1)
    const rampant11 = 11 / Math.cos(Math.atan(1.11))
    assert.isAbove(rampant11 * Math.cos(Math.atan(1.11)), 11)
    assert.equal(feasible({ pitchPercent: 111, rampant: rampant11 }).band, 2)
    assert.equal(bandOf(5.500000000000001), 1)
    assert.equal(bandOf(16.500000000000004), 3)
    // …but a real difference (a micrometre) is not absorbed
    assert.equal(bandOf(5.500001), 2)
    assert.isNull(bandOf(16.500001))
  })
})

test.group('Ardoise calculation: rule 2, the table row', () => {
  test('a pitch exactly on a row uses that row', ({ assert }) => {
    for (const row of table.rows) {
      const result = calculate(table, { ...example, pitchPercent: row.pitch, rampant: 1 })
      assert.equal(result.tablePitch, row.pitch, `pitch ${row.pitch}`)
    }
  })

  test('between two rows, the lower one (larger overlap)', ({ assert }) => {
    const result = feasible({ pitchPercent: 59.99 })
    assert.equal(result.tablePitch, 55)
    assert.equal(result.recouvrement, 103)
    assert.equal(feasible({ pitchPercent: 64 }).tablePitch, 60)
  })

  test('above the last row, the last row', ({ assert }) => {
    assert.equal(feasible({ pitchPercent: 500, rampant: 3 }).tablePitch, 375)
  })

  test('pitch in degrees is converted to % (tan × 100) before the row is chosen', ({ assert }) => {
    const result = feasible({ pitchPercent: undefined, pitchDegrees: 31 })
    assert.equal(result.pitchPercent, 60.09)
    assert.equal(result.pitchDegrees, 31)
    assert.equal(result.tablePitch, 60)
    // 30.9° is 59.84 %: row 55
    assert.equal(feasible({ pitchPercent: undefined, pitchDegrees: 30.9 }).tablePitch, 55)
  })

  test('45° is row 100 although tan(45°) × 100 is 99.99999999999999', ({ assert }) => {
    assert.isBelow(Math.tan(Math.PI / 4) * 100, 100)
    const result = feasible({ pitchPercent: undefined, pitchDegrees: 45, rampant: 3 })
    assert.equal(result.tablePitch, 100)
    assert.equal(result.pitchPercent, 100)
  })

  test("every row's pitch given in degrees finds that row", ({ assert }) => {
    for (const row of table.rows) {
      const pitchDegrees = percentToDegrees(row.pitch)
      const result = calculate(table, {
        ...example,
        pitchPercent: undefined,
        pitchDegrees,
        rampant: 1,
      })
      assert.equal(result.tablePitch, row.pitch, `${row.pitch} % as ${pitchDegrees}°`)
    }
  })

  test('pitch_too_low: below every row', ({ assert }) => {
    const result = refused({ pitchPercent: 19.99, rampant: 3 })
    assert.equal(result.reason, 'pitch_too_low')
    assert.isNull(result.tablePitch)
    assert.equal(result.band, 1)
    assert.equal(result.lowestPitch, 20)
  })

  test('pitch_too_low: "–" for that zone and band', ({ assert }) => {
    // Row 25 has 153 in zone 1 band 2, nothing in band 3 nor in zone 2
    const band3 = refused({ pitchPercent: 25, rampant: 13 })
    assert.equal(band3.reason, 'pitch_too_low')
    assert.equal(band3.band, 3)
    assert.equal(band3.tablePitch, 25)
    assert.equal(band3.lowestPitch, 27.5)
    const zone2 = refused({ pitchPercent: 29, zone: 2, rampant: 3 })
    assert.equal(zone2.reason, 'pitch_too_low')
    assert.equal(zone2.tablePitch, 27.5)
    assert.equal(zone2.lowestPitch, 30)
    const zone3 = refused({ pitchPercent: 44, zone: 3, rampant: 15 })
    assert.equal(zone3.band, 3)
    assert.equal(zone3.lowestPitch, 45)
    const at45 = feasible({
      pitchPercent: 45,
      zone: 3,
      rampant: 15,
      slate: { length: 460, width: 300 },
    })
    assert.equal(at45.recouvrement, 153)
  })

  test('rowFor on a table picks the largest pitch ≤ the roof’s', ({ assert }) => {
    assert.equal(rowFor(table, 20)?.pitch, 20)
    assert.equal(rowFor(table, 22.49)?.pitch, 20)
    assert.equal(rowFor(table, 22.5)?.pitch, 22.5)
    assert.isNull(rowFor(table, 19))
  })
})

test.group('Ardoise calculation: rules 3 and 4, overlap and slate length', () => {
  test('protégée uses the overlap of normale', ({ assert }) => {
    assert.equal(feasible({ situation: 'protegee' }).recouvrement, 99)
    assert.deepEqual(
      { ...feasible({ situation: 'protegee' }), situation: 'normale' },
      feasible({ situation: 'normale' })
    )
  })

  test('exposée: R × 1.10 rounded up to the mm', ({ assert }) => {
    const result = feasible({ situation: 'exposee' })
    assert.equal(result.tableRecouvrement, 99)
    assert.equal(result.recouvrement, 109) // 108.9 → 109
    assert.equal(result.pureau, 145.5)
    assert.equal(result.hookLength, 120) // 112 → 120
    assert.equal(recouvrementFor(92, 'exposee'), 102) // 101.2
    assert.equal(recouvrementFor(130, 'exposee'), 143) // exactly 143, not 144
    assert.equal(recouvrementFor(110, 'exposee'), 121) // exactly 121
    assert.equal(recouvrementFor(153, 'exposee'), 169) // 168.3
    assert.equal(recouvrementFor(153, 'normale'), 153)
  })

  test('slate_too_short when L < 3R, naming the minimum length', ({ assert }) => {
    const result = refused({ slate: { length: 320, width: 220 }, pitchPercent: 20, rampant: 3 })
    assert.equal(result.reason, 'slate_too_short')
    assert.equal(result.recouvrement, 153)
    assert.equal(result.minimumLength, 459)
    assert.equal(result.slateLength, 320)
    assert.equal(result.tablePitch, 20)
  })

  test('L exactly 3R is accepted, one mm less is refused', ({ assert }) => {
    // Row 45, zone 1, band 1: R = 107, 3R = 321
    const base = { pitchPercent: 45, rampant: 3 }
    const ok = feasible({ ...base, slate: { length: 321, width: 220 } })
    assert.equal(ok.recouvrement, 107)
    assert.equal(ok.pureau, 107)
    const short = refused({ ...base, slate: { length: 320, width: 220 } })
    assert.equal(short.reason, 'slate_too_short')
    assert.equal(short.minimumLength, 321)
  })

  test('3R uses the exposed overlap', ({ assert }) => {
    // 99 → 109 exposed: 3R = 327
    const short = refused({ situation: 'exposee', slate: { length: 320, width: 220 } })
    assert.equal(short.minimumLength, 327)
    assert.equal(feasible({ slate: { length: 320, width: 220 } }).minimumLength, 297)
  })
})

test.group('Ardoise calculation: rules 5 to 10, gauge and quantities', () => {
  test('pureau (L − R) / 2 in half millimetres; battens at the pureau', ({ assert }) => {
    const result = feasible({ slate: { length: 500, width: 250 } })
    assert.equal(result.pureau, 200.5)
    assert.equal(result.battenSpacing, 200.5)
  })

  test('slates per m² = 1 / (P × W), with an optional joint gap added to W', ({ assert }) => {
    assert.equal(feasible({}).slatesPerM2, 26.58)
    const gap = feasible({ jointGap: 5 })
    assert.equal(gap.slatesPerM2, 26.06) // 1 / (0.1505 × 0.255)
    assert.equal(gap.totalSlates, Math.ceil((1_000_000 / (150.5 * 255)) * 52.5))
  })

  test('total slates are rounded up once, a whole number within the tolerance staying whole', ({
    assert,
  }) => {
    // 320×250 at R = 92 (60 %, zone 1, band 1): P = 114, 35.0877… slates/m²; on 57 m²
    // without waste exactly 2000 slates, which floating point makes 2000.0000000000002.
    const input = {
      slate: { length: 320, width: 250 },
      rampant: 5,
      area: 57,
      wastePercent: 0,
    }
    assert.isAbove((1_000_000 / (114 * 250)) * 57, 2000)
    const result = feasible(input)
    assert.equal(result.recouvrement, 92)
    assert.equal(result.totalSlates, 2000)
    assert.equal(feasible({ ...input, area: 57.01 }).totalSlates, 2001)
    assert.equal(ceilTolerant(2000.0000000000002), 2000)
    assert.equal(ceilTolerant(2000.000001), 2001)
    assert.equal(ceilTolerant(1999.9999999999998), 2000)
  })

  test('hook length: R + 3 rounded up to the next 10 mm', ({ assert }) => {
    assert.equal(hookLengthFor(99), 110)
    assert.equal(hookLengthFor(97), 100) // exactly 100
    assert.equal(hookLengthFor(98), 110)
    assert.equal(hookLengthFor(58), 70) // 61
    assert.equal(hookLengthFor(107), 110)
    assert.equal(hookLengthFor(153), 160)
  })

  test('battens: area × 1000 / P, to the nearest metre', ({ assert }) => {
    assert.equal(feasible({}).battensMeters, 332) // 332.2
    // 3.5 m² → 23.26 → 23 ; 0.2258 m² → 1.5003 → 2
    assert.equal(feasible({ area: 3.5 }).battensMeters, 23)
    assert.equal(feasible({ area: 0.2258 }).battensMeters, 2)
  })

  test('weight with a thickness: slates/m² × L × W × e × 2.75 t/m³', ({ assert }) => {
    const result = feasible({ slate: { length: 400, width: 250, thickness: 4 } })
    // one slate: 0.4 × 0.25 × 0.004 × 2750 = 1.1 kg; 26.578… × 1.1 = 29.24 kg/m²
    assert.equal(result.weightPerM2, 29.24)
    assert.equal(result.totalWeightKg, 1536) // 1396 × 1.1 = 1535.6
    // The rules' order of magnitude: ≈ 25 kg/m² for 300×220×3.3 (here P = 104)
    const small = feasible({ slate: { length: 300, width: 220, thickness: 3.3 }, rampant: 5 })
    assert.equal(small.pureau, 104)
    assert.equal(small.weightPerM2, 26.18)
  })
})

test.group('Ardoise calculation: input errors are not refusals', () => {
  test('throws on input the validators must refuse', ({ assert }) => {
    const bad: Partial<CalculationInput>[] = [
      { area: -1 },
      { area: 0 },
      { rampant: 0 },
      { zone: 4 as never },
      { situation: 'venteuse' as never },
      { fixing: 'colle' as never },
      { slate: undefined as never },
      { slate: { length: 0, width: 250 } },
      { slate: { length: 400, width: 250, thickness: -1 } },
      { pitchPercent: undefined },
      { pitchPercent: 60, pitchDegrees: 31 },
      { pitchPercent: undefined, pitchDegrees: 90 },
      { pitchPercent: -5 },
      { wastePercent: -1 },
      { jointGap: -1 },
      { area: Number.NaN },
    ]
    for (const input of bad) {
      assert.throws(
        () => calculate(table, { ...example, ...input }),
        CalculationInputError,
        /Invalid input/,
        JSON.stringify(input)
      )
    }
  })
})
