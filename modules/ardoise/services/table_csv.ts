import { parse } from 'csv-parse/sync'
import { detectDelimiter } from '#kernel/imports/parse'
import { tableProblems, type Cell, type TableRow } from './calculate.js'

/**
 * The recouvrement table as CSV, the way an admin keeps it in a spreadsheet:
 * one line per pitch, `;` separated (`,` accepted), a header line, the pitch in %
 * (decimal comma or point) then the nine overlaps in mm, zone by zone and band by
 * band. "–", "-" or an empty cell mean "not allowed".
 */
export const CSV_HEADER = [
  'pente',
  ...[1, 2, 3].flatMap((zone) => [1, 2, 3].map((band) => `zone${zone}_bande${band}`)),
]

/** English header names are accepted too. */
const HEADER_ALIASES: Record<string, string> = { pitch: 'pente' }

const NOT_ALLOWED = new Set(['', '–', '-', '—'])

export interface CsvProblem {
  /** 1-based line of the file; 0 for the file as a whole */
  line: number
  message: string
}

function headerName(value: string) {
  const name = value
    .trim()
    .toLowerCase()
    .replace(/^\uFEFF/, '')
  return HEADER_ALIASES[name] ?? name.replace(/_band(\d)$/, '_bande$1')
}

function number(text: string) {
  const normalized = text.trim().replace(/\s/g, '').replace(',', '.')
  return /^\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : Number.NaN
}

type RawCell = string | number | boolean | Date | null

/**
 * Checks a table's header and lines (as read from a file) and builds its rows;
 * rows are returned only when there is no problem.
 */
export function tableFromRecords(
  header: RawCell[],
  lines: { line: number; cells: RawCell[] }[]
): { rows: TableRow[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = []
  const names = header.map((cell) => headerName(cell === null ? '' : String(cell)))
  // Spreadsheets often leave empty columns after the last one
  while (names.length > CSV_HEADER.length && names.at(-1) === '') names.pop()
  if (names.join(';') !== CSV_HEADER.join(';')) {
    problems.push({ line: 1, message: `The header must be: ${CSV_HEADER.join(';')}` })
    return { rows: [], problems }
  }
  const rows: TableRow[] = []
  for (const { line, cells } of lines) {
    const record = cells.map((cell) => (cell === null ? '' : String(cell)))
    while (record.length > CSV_HEADER.length && record.at(-1)!.trim() === '') record.pop()
    if (record.length !== CSV_HEADER.length) {
      problems.push({
        line,
        message: `${CSV_HEADER.length} columns expected, ${record.length} found`,
      })
      continue
    }
    const pitch = number(record[0])
    if (!(pitch > 0)) {
      problems.push({ line, message: `Invalid pitch "${record[0]}"` })
      continue
    }
    const values: Cell[] = []
    let bad = false
    for (const raw of record.slice(1)) {
      if (NOT_ALLOWED.has(raw.trim())) {
        values.push(null)
        continue
      }
      const value = number(raw)
      if (!(Number.isInteger(value) && value > 0)) {
        problems.push({
          line,
          message: `Invalid overlap "${raw}" (whole mm, or – when not allowed)`,
        })
        bad = true
        break
      }
      values.push(value)
    }
    if (bad) continue
    rows.push({
      pitch,
      cells: [0, 3, 6].map((start) => values.slice(start, start + 3)) as TableRow['cells'],
    })
  }
  if (!problems.length) {
    problems.push(...tableProblems({ rows }).map((message) => ({ line: 0, message })))
  }
  return { rows: problems.length ? [] : rows, problems }
}

/** Parses a table CSV given as text (the seeded table, tests); blank lines are skipped. */
export function parseTableCsv(text: string): { rows: TableRow[]; problems: CsvProblem[] } {
  const body = text.replace(/^\uFEFF/, '')
  let records: string[][]
  try {
    records = parse(body, {
      delimiter: detectDelimiter(body),
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][]
  } catch (error) {
    return { rows: [], problems: [{ line: 0, message: (error as Error).message }] }
  }
  const lines = records
    .map((cells, index) => ({ line: index + 1, cells }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''))
  if (!lines.length) return { rows: [], problems: [{ line: 0, message: 'The file is empty' }] }
  return tableFromRecords(lines[0].cells, lines.slice(1))
}

/** The table as CSV (same layout as the import), for download and editing. */
export function tableToCsv(rows: TableRow[]) {
  const lines = [CSV_HEADER.join(';')]
  for (const row of rows) {
    const cells = row.cells.flat().map((cell) => (cell === null ? '–' : String(cell)))
    lines.push([String(row.pitch).replace('.', ','), ...cells].join(';'))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

export interface TableDiff {
  added: TableRow[]
  removed: TableRow[]
  changed: { pitch: number; zone: number; band: number; from: Cell; to: Cell }[]
  unchanged: number
}

/** What a replacement changes: rows added or removed (by pitch), and changed cells. */
export function diffTables(current: TableRow[], next: TableRow[]): TableDiff {
  const before = new Map(current.map((row) => [row.pitch, row]))
  const after = new Map(next.map((row) => [row.pitch, row]))
  const diff: TableDiff = { added: [], removed: [], changed: [], unchanged: 0 }
  for (const row of next) if (!before.has(row.pitch)) diff.added.push(row)
  for (const row of current) if (!after.has(row.pitch)) diff.removed.push(row)
  for (const row of next) {
    const old = before.get(row.pitch)
    if (!old) continue
    let same = true
    row.cells.forEach((zone, z) =>
      zone.forEach((to, b) => {
        const from = old.cells[z][b]
        if (from !== to) {
          same = false
          diff.changed.push({ pitch: row.pitch, zone: z + 1, band: b + 1, from, to })
        }
      })
    )
    if (same) diff.unchanged++
  }
  return diff
}
