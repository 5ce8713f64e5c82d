import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { Exception } from '@adonisjs/core/exceptions'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { record } from '#kernel/audit/audit'
import { dbNow } from '#kernel/db/timestamp'
import { fieldError } from '#kernel/http/field_error'
import RecouvrementTableVersion from '../models/recouvrement_table.js'
import RecouvrementRow from '../models/recouvrement_row.js'
import type { RecouvrementTable, TableRow } from './calculate.js'
import {
  diffTables,
  parseTableCsv,
  tableFromRecords,
  type CsvProblem,
  type TableDiff,
} from './table_csv.js'
import { ImportFileError, parseImportFile } from '#kernel/imports/parse'
import { HttpContext } from '@adonisjs/core/http'
import { DTU_TABLE_CSV, DTU_TABLE_NAME } from '../database/data/dtu_40_11.js'

export const TABLE_MODEL = 'ardoise.table'

/** A table version with its rows, ready for `calculate`. */
export interface LoadedTable {
  id: number
  name: string
  version: number
  label: string
  isActive: boolean
  table: RecouvrementTable
}

function notFound() {
  return new Exception('Table not found', { status: 404, code: 'E_NOT_FOUND' })
}

async function load(version: RecouvrementTableVersion): Promise<LoadedTable> {
  const rows = await RecouvrementRow.query({ client: version.$trx })
    .where('table_id', version.id)
    .orderBy('pitch_milli')
  return {
    id: version.id,
    name: version.name,
    version: version.version,
    label: version.label,
    isActive: version.isActive,
    table: { label: version.label, rows: rows.map((row) => row.toTableRow()) },
  }
}

/** The company's active table version, or null when none is (the module was never seeded). */
export async function activeTable(companyId: number, client?: QueryClientContract) {
  const version = await RecouvrementTableVersion.query(client ? { client } : undefined)
    .where({ company_id: companyId, is_active: true })
    .first()
  return version ? load(version) : null
}

/** One version of the company's tables, with its rows. */
export async function tableVersion(companyId: number, id: number) {
  if (!Number.isInteger(id) || id < 1) throw notFound()
  const version = await RecouvrementTableVersion.query()
    .where({ company_id: companyId, id })
    .first()
  if (!version) throw notFound()
  return load(version)
}

/** Every version of the company's tables, newest first, with how many calculations used each. */
export async function tableVersions(companyId: number) {
  const versions = await RecouvrementTableVersion.query()
    .where('company_id', companyId)
    .orderBy('id', 'desc')
  const counts = await db
    .from('ardoise_calculations')
    .where('company_id', companyId)
    .groupBy('table_id')
    .select('table_id')
    .count('* as total')
  const used = new Map(counts.map((c) => [Number(c.table_id), Number(c.total)]))
  return versions.map((v) => ({
    id: v.id,
    name: v.name,
    version: v.version,
    label: v.label,
    isActive: v.isActive,
    source: v.source,
    fileName: v.fileName,
    notes: v.notes,
    activatedAt: v.activatedAt?.toISO() ?? null,
    createdAt: v.createdAt.toISO(),
    calculations: used.get(v.id) ?? 0,
  }))
}

async function insertVersion(
  trx: TransactionClientContract,
  companyId: number,
  values: {
    name: string
    rows: TableRow[]
    source: 'seed' | 'csv'
    fileName?: string | null
    notes?: string | null
    createdBy?: number | null
    activate: boolean
  }
) {
  const last = await trx
    .from('ardoise_tables')
    .where({ company_id: companyId, name: values.name })
    .max('version as version')
    .first()
  const version = new RecouvrementTableVersion()
  version.useTransaction(trx)
  version.merge({
    companyId,
    name: values.name,
    version: Number(last?.version ?? 0) + 1,
    isActive: false,
    source: values.source,
    fileName: values.fileName ?? null,
    notes: values.notes ?? null,
    createdBy: values.createdBy ?? null,
  })
  await version.save()
  await trx
    .table('ardoise_table_rows')
    .multiInsert(values.rows.map((row) => RecouvrementRow.columnsOf(version.id, row)))
  if (values.activate) await activateIn(trx, companyId, version)
  return version
}

async function activateIn(
  trx: TransactionClientContract,
  companyId: number,
  version: RecouvrementTableVersion
) {
  // Deactivate first: the unique index allows one active version per company.
  await trx
    .from('ardoise_tables')
    .where({ company_id: companyId, is_active: true })
    .whereNot('id', version.id)
    .update({ is_active: false, updated_at: dbNow(trx) })
  version.isActive = true
  version.activatedAt = DateTime.utc()
  await version.save()
}

/**
 * The module's seed for one company (idempotent): the DTU 40.11 table as the
 * first, active version, and the common slate formats.
 */
export async function seedCompany(client: QueryClientContract, companyId: number) {
  const existing = await client.from('ardoise_tables').where('company_id', companyId).first()
  if (!existing) {
    const { rows } = parseTableCsv(DTU_TABLE_CSV)
    await insertVersion(client as TransactionClientContract, companyId, {
      name: DTU_TABLE_NAME,
      rows,
      source: 'seed',
      notes: 'NF P 32-201-1 (05/93) / DTU 40.11 (02/77)',
      activate: true,
    })
  }
  const formats = await client.from('ardoise_formats').where('company_id', companyId).first()
  if (!formats) {
    const now = dbNow(client)
    await client.table('ardoise_formats').multiInsert(
      COMMON_FORMATS.map(([length, width, thickness]) => ({
        company_id: companyId,
        length_mm: length,
        width_mm: width,
        thickness_um: thickness,
        supplier: null,
        reference: null,
        price_cents: null,
        created_at: now,
        updated_at: now,
      }))
    )
  }
}

/** Common natural slate formats (mm) and a usual thickness (µm). */
const COMMON_FORMATS: [number, number, number][] = [
  [320, 220, 4000],
  [350, 250, 4000],
  [400, 220, 4000],
  [400, 250, 4000],
  [460, 300, 4500],
  [500, 250, 4500],
]

export interface ReplacementPreview {
  problems: CsvProblem[]
  current: { id: number; label: string } | null
  name: string
  nextVersion: number
  diff: TableDiff | null
  rows: TableRow[]
}

export type ParsedTableFile = { rows: TableRow[]; problems: CsvProblem[] }

/**
 * Reads an uploaded table with the kernel's import file reader (CSV in UTF-8,
 * UTF-16 or Windows-1252 with its separator detected, or XLSX), then checks it
 * as a table. A file the reader refuses is one problem, in the user's language.
 */
export async function readTableFile(bytes: Uint8Array): Promise<ParsedTableFile> {
  try {
    const file = await parseImportFile(bytes)
    return tableFromRecords(file.headers, file.rows)
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error
    const i18n = HttpContext.get()?.i18n
    const key = `imports.file.${error.reason}`
    const message = i18n?.hasMessage(key) ? i18n.t(key, error.data) : error.message
    return { rows: [], problems: [{ line: 0, message }] }
  }
}

/** Dry run of a replacement: the parsed rows and what changes against the active version. */
export async function previewReplacement(
  companyId: number,
  parsed: ParsedTableFile,
  name?: string | null
): Promise<ReplacementPreview> {
  const { rows, problems } = parsed
  const current = await activeTable(companyId)
  const tableName = name?.trim() || current?.name || DTU_TABLE_NAME
  const last = await db
    .from('ardoise_tables')
    .where({ company_id: companyId, name: tableName })
    .max('version as version')
    .first()
  return {
    problems,
    current: current ? { id: current.id, label: current.label } : null,
    name: tableName,
    nextVersion: Number(last?.version ?? 0) + 1,
    diff: problems.length ? null : diffTables(current?.table.rows ?? [], rows),
    rows,
  }
}

/**
 * Loads a replacement as a new version (never changing an existing one, so
 * saved calculations keep theirs), active at once unless `activate` is false.
 * A file with problems is refused with a 422 on `file` naming the first ones.
 */
export async function importVersion(
  access: Access,
  input: {
    parsed: ParsedTableFile
    name?: string | null
    fileName?: string | null
    notes?: string | null
    activate?: boolean
  }
) {
  const preview = await previewReplacement(access.companyId, input.parsed, input.name)
  if (preview.problems.length) {
    const message = preview.problems
      .slice(0, 5)
      .map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message))
      .join('; ')
    throw fieldError('file', message, 'tableCsv')
  }
  return db.transaction(async (trx) => {
    const version = await insertVersion(trx, access.companyId, {
      name: preview.name,
      rows: preview.rows,
      source: 'csv',
      fileName: input.fileName ?? null,
      notes: input.notes ?? null,
      createdBy: access.userId,
      activate: input.activate ?? true,
    })
    await record(trx, {
      event: 'created',
      model: TABLE_MODEL,
      recordId: version.id,
      after: {
        name: version.name,
        version: version.version,
        isActive: version.isActive,
        fileName: version.fileName,
        rows: preview.rows.length,
      },
      meta: {
        added: preview.diff!.added.length,
        removed: preview.diff!.removed.length,
        changed: preview.diff!.changed.length,
      },
    })
    return version
  })
}

/** Makes a version the company's active one (the previous one stays, inactive). */
export async function activateVersion(access: Access, id: number) {
  return db.transaction(async (trx) => {
    const version = await RecouvrementTableVersion.query({ client: trx })
      .where({ company_id: access.companyId, id })
      .forUpdate()
      .first()
    if (!version) throw notFound()
    if (version.isActive) return version
    const previous = await trx
      .from('ardoise_tables')
      .where({ company_id: access.companyId, is_active: true })
      .select('id')
      .first()
    await activateIn(trx, access.companyId, version)
    await record(trx, {
      event: 'updated',
      model: TABLE_MODEL,
      recordId: version.id,
      before: { isActive: false },
      after: { isActive: true },
      meta: { previous: previous?.id ?? null },
    })
    return version
  })
}
