import type { HttpContext } from '@adonisjs/core/http'
import { Readable } from 'node:stream'
import writeXlsxFile from 'write-excel-file/node'
import { fieldError } from '#kernel/http/field_error'

/**
 * Exports of lists, for every module. A module builds its rows from the same
 * scoped, filtered query as its list page (`access.scope()`, its filters, the
 * custom fields' `csvColumns`, `visibleColumns` for field rules) and hands
 * them here as an async iterable; the kernel writes them as CSV (streamed)
 * or XLSX.
 *
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

/** An XLSX workbook is built in memory: past this many rows, export CSV. */
export const MAX_XLSX_ROWS = 100_000

/**
 * Rows as an XLSX workbook (one sheet, bold header, first row frozen). Numbers
 * and booleans stay numbers and booleans; text that looks like a formula is
 * written as text, never as a formula. Past MAX_XLSX_ROWS rows: a 422 on
 * `format`, before anything is sent.
 */
export async function xlsxBuffer(header: string[], rows: AsyncIterable<unknown[]>) {
  const data: { value: string | number | boolean | null; fontWeight?: 'bold' }[][] = [
    header.map((title) => ({ value: title, fontWeight: 'bold' as const })),
  ]
  for await (const row of rows) {
    if (data.length > MAX_XLSX_ROWS) {
      throw fieldError('format', `More than ${MAX_XLSX_ROWS} rows: export as CSV`, 'max')
    }
    data.push(
      row.map((value) => ({
        value:
          value === null || value === undefined
            ? null
            : typeof value === 'number' || typeof value === 'boolean'
              ? value
              : Array.isArray(value)
                ? value.join(', ')
                : String(value),
      }))
    )
  }
  return writeXlsxFile(data as any, { stickyRowsCount: 1 }).toBuffer()
}

/**
 * Answers a list export in the format asked: `csv` (streamed) or `xlsx`.
 * `filename` is given without extension.
 */
export async function sendExport(
  response: HttpContext['response'],
  format: 'csv' | 'xlsx',
  filename: string,
  header: string[],
  rows: AsyncIterable<unknown[]>
) {
  if (format === 'csv') return streamCsv(response, `${filename}.csv`, header, rows)
  const buffer = await xlsxBuffer(header, rows)
  response.header(
    'Content-Type',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  )
  response.header('Content-Disposition', `attachment; filename="${filename}.xlsx"`)
  return response.send(buffer)
}
