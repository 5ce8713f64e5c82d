import { readFileSync } from 'node:fs'
import type { RecouvrementTable } from '../services/calculate.js'
import { parseTableCsv } from '../services/table_csv.js'

/** The seeded DTU 40.11 table, read from the same CSV file the seeder loads. */
export function dtuTable(label = 'DTU 40.11 (1977/1993) — site normal v1'): RecouvrementTable {
  const text = readFileSync(
    new URL('../database/data/dtu_40_11_site_normal.csv', import.meta.url),
    'utf8'
  )
  const { rows, problems } = parseTableCsv(text)
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '))
  return { label, rows }
}
