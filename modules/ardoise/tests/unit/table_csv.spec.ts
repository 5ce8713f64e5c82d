import { test } from '@japa/runner'
import { CSV_HEADER, diffTables, parseTableCsv, tableToCsv } from '../../services/table_csv.js'
import { dtuTable } from '../dtu_table.js'

const header = CSV_HEADER.join(';')

test.group('Ardoise: recouvrement table CSV', () => {
  test('the seeded table survives a round trip through CSV', ({ assert }) => {
    const { rows } = dtuTable()
    const again = parseTableCsv(tableToCsv(rows))
    assert.deepEqual(again.problems, [])
    assert.deepEqual(again.rows, rows)
  })

  test('accepts commas, English headers, decimal points and dashes', ({ assert }) => {
    const csv = [
      'pitch,zone1_band1,zone1_band2,zone1_band3,zone2_band1,zone2_band2,zone2_band3,zone3_band1,zone3_band2,zone3_band3',
      '22.5,147,-,,–,—,-,-,-,-',
    ].join('\n')
    const { rows, problems } = parseTableCsv(csv)
    assert.deepEqual(problems, [])
    assert.deepEqual(rows, [
      {
        pitch: 22.5,
        cells: [
          [147, null, null],
          [null, null, null],
          [null, null, null],
        ],
      },
    ])
  })

  test('refuses a wrong header, bad cells and unsorted pitches, naming the line', ({ assert }) => {
    assert.deepEqual(parseTableCsv('pente;a;b\n20;1;2').problems, [
      { line: 1, message: `The header must be: ${header}` },
    ])
    const bad = parseTableCsv(
      [header, '20;153;x;–;–;–;–;–;–;–', '25;141;153;–;–;–;–;–;–', '0;1;1;1;1;1;1;1;1;1'].join('\n')
    )
    assert.deepEqual(bad.rows, [])
    assert.deepEqual(
      bad.problems.map((p) => p.line),
      [2, 3, 4]
    )
    const decimal = parseTableCsv([header, '20;153,5;–;–;–;–;–;–;–;–'].join('\n'))
    assert.equal(decimal.problems[0].line, 2)
    const unsorted = parseTableCsv(
      [header, '30;131;–;–;–;–;–;–;–;–', '25;141;–;–;–;–;–;–;–;–'].join('\n')
    )
    assert.deepEqual(unsorted.rows, [])
    assert.equal(unsorted.problems[0].message, 'Pitch 25 is not above 30')
    assert.equal(parseTableCsv(header).problems[0].message, 'The table has no rows')
    assert.equal(parseTableCsv('').problems[0].message, 'The file is empty')
  })

  test('the difference between two versions: rows added, removed, cells changed', ({ assert }) => {
    const current = dtuTable().rows
    const next = structuredClone(current)
      .filter((row) => row.pitch !== 22.5)
      .map((row) =>
        row.pitch === 60 ? { ...row, cells: [[95, 99, 106], ...row.cells.slice(1)] } : row
      )
    next.push({
      pitch: 450,
      cells: [
        [57, 60, 64],
        [61, 66, 70],
        [68, 72, 75],
      ],
    })
    const diff = diffTables(current, next as typeof current)
    assert.deepEqual(
      diff.added.map((row) => row.pitch),
      [450]
    )
    assert.deepEqual(
      diff.removed.map((row) => row.pitch),
      [22.5]
    )
    assert.deepEqual(diff.changed, [{ pitch: 60, zone: 1, band: 1, from: 92, to: 95 }])
    assert.equal(diff.unchanged, 22)
    assert.deepEqual(diffTables(current, current), {
      added: [],
      removed: [],
      changed: [],
      unchanged: 24,
    })
  })
})
