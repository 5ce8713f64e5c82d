import { parse as parseCsv } from 'csv-parse/sync'
import { readSheet } from 'read-excel-file/node'

/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024
/** Rows (after the header) a file may have. */
export const MAX_IMPORT_ROWS = 50_000
export const MAX_IMPORT_COLUMNS = 200

export type Cell = string | number | boolean | Date | null

export interface ParsedTable {
  format: 'csv' | 'xlsx'
  /** csv only: what the bytes were read as */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'
  delimiter?: ';' | ',' | '\t'
  headers: string[]
  /** Data rows, each with its spreadsheet line (the header is line 1); blank rows are left out */
  rows: { line: number; cells: Cell[] }[]
}

/** Why a file cannot be read: a message key of `imports.file.*` and its values. */
export class ImportFileError extends Error {
  constructor(
    readonly reason:
      | 'empty'
      | 'too_large'
      | 'too_many_rows'
      | 'too_many_columns'
      | 'no_header'
      | 'xls'
      | 'unreadable',
    readonly data: Record<string, unknown> = {}
  ) {
    super(`Import file refused: ${reason}`)
  }
}

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE = [0xd0, 0xcf, 0x11, 0xe0]

function startsWith(bytes: Uint8Array, prefix: number[]) {
  return prefix.every((byte, i) => bytes[i] === byte)
}

/**
 * Reads a text file's bytes: a BOM says UTF-8 or UTF-16; otherwise valid
 * UTF-8 is UTF-8, and anything else is taken as Windows-1252 — what French
 * Excel writes when it saves "CSV (séparateur: point-virgule)".
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: ParsedTable['encoding'] } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' }
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  }
  if (startsWith(bytes, [0xfe, 0xff])) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' }
  }
}

/**
 * The separator of the header line: the most frequent of `;`, `,` and tab
 * outside quotes (`;` wins a tie, as French spreadsheets use it).
 */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 }
  let quoted = false
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && char in counts) counts[char as keyof typeof counts]++
  }
  if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t'
  return counts[','] > counts[';'] ? ',' : ';'
}

function blank(cells: Cell[]) {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''))
}

function table(
  format: ParsedTable['format'],
  records: Cell[][],
  extra: Partial<ParsedTable> = {}
): ParsedTable {
  const headerIndex = records.findIndex((cells) => !blank(cells))
  if (headerIndex === -1) throw new ImportFileError('no_header')
  const headers = records[headerIndex].map((cell) => (cell === null ? '' : String(cell).trim()))
  if (headers.length > MAX_IMPORT_COLUMNS) {
    throw new ImportFileError('too_many_columns', { max: MAX_IMPORT_COLUMNS })
  }
  const rows: ParsedTable['rows'] = []
  for (let i = headerIndex + 1; i < records.length; i++) {
    if (blank(records[i])) continue
    rows.push({ line: i + 1, cells: records[i] })
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new ImportFileError('too_many_rows', { max: MAX_IMPORT_ROWS })
    }
  }
  return { format, headers, rows, ...extra }
}

/** NUL and other control characters (tab, CR, LF, form feed and escape aside). */
function hasControlBytes(text: string) {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(code)) return true
  }
  return false
}

/** Reads an uploaded CSV or XLSX file into a header and rows; refuses what it cannot read. */
export async function parseImportFile(bytes: Uint8Array): Promise<ParsedTable> {
  if (bytes.length === 0) throw new ImportFileError('empty')
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportFileError('too_large', { mb: MAX_IMPORT_BYTES / 1024 / 1024 })
  }
  if (startsWith(bytes, OLE)) throw new ImportFileError('xls')
  if (startsWith(bytes, ZIP)) {
    let data: Cell[][]
    try {
      data = (await readSheet(Buffer.from(bytes))) as unknown as Cell[][]
    } catch {
      throw new ImportFileError('unreadable')
    }
    return table('xlsx', data)
  }
  const { text, encoding } = decodeText(bytes)
  // A text file with NUL bytes or other control characters is not a CSV (a renamed binary).
  if (hasControlBytes(text.slice(0, 4096))) {
    throw new ImportFileError('unreadable')
  }
  const delimiter = detectDelimiter(text)
  let records: string[][]
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][]
  } catch {
    throw new ImportFileError('unreadable')
  }
  return table('csv', records, { encoding, delimiter })
}
