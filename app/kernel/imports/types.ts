import type { TransactionClientContract, QueryClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '../security/access.js'
import type { Label } from '../modules/define_module.js'

/**
 * How a cell is read before the module sees it. French spreadsheets are the
 * norm: `1 234,50`, `31/12/2026`, `oui`/`non` are understood.
 *
 * - `text`: trimmed; `maxLength` (255 by default)
 * - `integer`: whole number, optional `min`/`max`
 * - `money`: euros with up to 2 decimals → integer cents
 * - `decimal`: up to `scale` decimals → scaled integer (`scale` 3: thousandths)
 * - `boolean`: oui/non, yes/no, vrai/faux, true/false, 1/0, x/empty
 * - `date`: `JJ/MM/AAAA` or `YYYY-MM-DD` (or an XLSX date) → `YYYY-MM-DD`
 * - `email`: an address, lower-cased
 * - `enum`: one of `options` (compared without case or accents; `options`
 *   may map several spellings to one value)
 * - `list`: several texts separated by `,` `;` or `|`
 */
export type ImportFieldType =
  'text' | 'integer' | 'money' | 'decimal' | 'boolean' | 'date' | 'email' | 'enum' | 'list'

export interface ImportField {
  /** The value's key in the row handed to the module (e.g. `name`, `siret`) */
  key: string
  label: Label
  type: ImportFieldType
  /** A row without a value here is refused */
  required?: boolean
  /** Other column titles that mean this field, for the automatic mapping */
  aliases?: string[]
  maxLength?: number
  min?: number
  max?: number
  /** Decimals kept by `decimal` (0–6, 2 by default) */
  scale?: number
  /** `enum`: accepted values, or `{ value: [spellings…] }` */
  options?: string[] | Record<string, string[]>
  /** Shown under the field on the mapping page */
  help?: Label
}

/** What one row of the file becomes, once checked. */
export type ImportAction = 'create' | 'update' | 'refuse'

/** A reason a row is refused, tied to a field (or to the row: field `row`). */
export interface ImportProblem {
  field: string
  rule: string
  message: string
}

/**
 * An import kind a module offers, declared in its manifest under
 * `imports: { '<module>.<name>': … }`. The declaration is static (the mapping
 * page shows it without loading anything); `load` brings the code that
 * checks and writes rows, lazily, like routes.
 */
export interface ImportDeclaration {
  label: Label
  description?: Label
  /** Who may run this import at all (e.g. `contacts.contact.import`) */
  permission: string
  /** Also needed to create records (e.g. `contacts.contact.create`) */
  createPermission: string
  /** Also needed to update records; its scope bounds which records match */
  updatePermission: string
  fields: ImportField[]
  /**
   * Fields that find an existing record to update, tried in order: the first
   * one a row fills decides. A field with `mustExist` refuses a row whose
   * value matches nothing (a code the numbering series assigns); the others
   * create a record when nothing matches (a SIRET, an email).
   */
  keys?: { field: string; mustExist?: boolean }[]
  load: () => Promise<{ default: ImportHandler }>
}

/** The row as the module receives it: typed values by field key (absent = empty cell or unmapped). */
export type ImportValues = Record<string, unknown>

export interface ImportContext {
  /** The user running the import: checks and matches go through its scopes */
  access: Access
  locale: 'fr' | 'en'
  /** Translates a kernel or module message key in the import's language */
  t: (key: string, data?: Record<string, unknown>) => string
}

export interface CheckedRow {
  /** 1-based line of the file (the header is line 1) */
  line: number
  action: 'create' | 'update'
  /** The record to update */
  recordId: number | null
  values: ImportValues
}

/**
 * The module's code for one import kind (the default export of `load`).
 * The kernel reads the file, maps the columns, types each cell, resolves the
 * keys and counts; the module says what a row means and writes the rows.
 */
export interface ImportHandler {
  /**
   * Existing records whose `field` equals one of `values`, within the
   * user's scope of the declaration's `updatePermission`: value → record ids.
   * Called in batches; required when the declaration has `keys`.
   */
  match?: (
    ctx: ImportContext & { client: QueryClientContract },
    field: string,
    values: string[]
  ) => Promise<Map<string, number[]>>
  /**
   * Checks one typed row beyond its field types (the module's own rules: a
   * SIRET's checksum, a value another field must agree with). Returns the
   * problems, none when the row is fine, and may replace values.
   */
  check?: (
    ctx: ImportContext,
    row: { values: ImportValues; action: 'create' | 'update'; recordId: number | null }
  ) => Promise<ImportProblem[] | void> | ImportProblem[] | void
  /**
   * Writes every row, inside the kernel's one transaction (`trx`): nothing is
   * committed unless every row is written. Call `progress(done)` as rows are
   * written; throw to refuse the whole import.
   */
  apply: (
    ctx: ImportContext & {
      trx: TransactionClientContract
      progress: (done: number) => void
    },
    rows: CheckedRow[]
  ) => Promise<void>
}

/** Types a module's import handler (`export default defineImport({...})`). */
export function defineImport(handler: ImportHandler): ImportHandler {
  return handler
}
