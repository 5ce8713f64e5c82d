import type { HttpContext } from '@adonisjs/core/http'
import { Readable } from 'node:stream'

/**
 * CSV for spreadsheets used in France: UTF-8 with a BOM, `;` separated,
 * CRLF line ends. Cells that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR) are prefixed with a quote (CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = Array.isArray(value) ? value.join(', ') : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: unknown[]) {
  return `${values.map(csvCell).join(';')}\r\n`
}

/** Streams rows as a CSV download; memory stays flat whatever the row count. */
export function streamCsv(
  response: HttpContext['response'],
  filename: string,
  header: string[],
  rows: AsyncIterable<unknown[]>
) {
  async function* lines() {
    yield `\uFEFF${csvLine(header)}`
    for await (const row of rows) yield csvLine(row)
  }
  response.header('Content-Type', 'text/csv; charset=utf-8')
  response.header('Content-Disposition', `attachment; filename="${filename}"`)
  response.stream(Readable.from(lines()))
}
