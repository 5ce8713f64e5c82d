import type { RecouvrementTable } from '../services/calculate.js'
import { parseTableCsv } from '../services/table_csv.js'
import { DTU_TABLE_CSV, DTU_TABLE_NAME } from '../database/data/dtu_40_11.js'

/** The seeded DTU 40.11 table, parsed from the same CSV text the seeder loads. */
export function dtuTable(label = `${DTU_TABLE_NAME} v1`): RecouvrementTable {
  const { rows, problems } = parseTableCsv(DTU_TABLE_CSV)
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '))
  return { label, rows }
}
