import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { Cell, TableRow } from '../services/calculate.js'

const CELLS = [1, 2, 3].flatMap((zone) => [1, 2, 3].map((band) => `z${zone}_b${band}`))

/** One pitch of a table version: nine overlaps (3 zones × 3 bands), null where "–". */
export default class RecouvrementRow extends BaseModel {
  static table = 'ardoise_table_rows'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tableId: number

  /** Pitch in thousandths of a percent */
  @column()
  declare pitchMilli: number

  @column({ columnName: 'z1_b1' }) declare z1b1: Cell
  @column({ columnName: 'z1_b2' }) declare z1b2: Cell
  @column({ columnName: 'z1_b3' }) declare z1b3: Cell
  @column({ columnName: 'z2_b1' }) declare z2b1: Cell
  @column({ columnName: 'z2_b2' }) declare z2b2: Cell
  @column({ columnName: 'z2_b3' }) declare z2b3: Cell
  @column({ columnName: 'z3_b1' }) declare z3b1: Cell
  @column({ columnName: 'z3_b2' }) declare z3b2: Cell
  @column({ columnName: 'z3_b3' }) declare z3b3: Cell

  toTableRow(): TableRow {
    const cell = (z: number, b: number) => {
      const value = (this as unknown as Record<string, Cell>)[`z${z}b${b}`]
      return value === null || value === undefined ? null : Number(value)
    }
    return {
      pitch: this.pitchMilli / 1000,
      cells: [1, 2, 3].map((z) => [cell(z, 1), cell(z, 2), cell(z, 3)]) as TableRow['cells'],
    }
  }

  /** The database columns of a table row, for inserts. */
  static columnsOf(tableId: number, row: TableRow) {
    const values: Record<string, number | null> = {
      table_id: tableId,
      pitch_milli: Math.round(row.pitch * 1000),
    }
    row.cells.flat().forEach((cell, i) => (values[CELLS[i]] = cell))
    return values
  }
}
