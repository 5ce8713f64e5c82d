import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { Exception } from '@adonisjs/core/exceptions'
import type { Access } from '../security/access.js'
import moduleManager from '../modules/module_manager.js'
import { dbNow } from '../db/timestamp.js'
import { fieldError } from '../http/field_error.js'
import { keysetPage } from '../pagination/keyset.js'
import { parseImportFile, ImportFileError, type ParsedTable } from './parse.js'
import {
  carryMapping,
  guessMapping,
  headersSignature,
  usableMapping,
  type ImportMapping,
} from './mapping.js'
import {
  applyImport,
  checkImport,
  findImportKind,
  importContext,
  importKinds,
  mayImport,
  type ImportCounts,
  type ImportKind,
} from './pipeline.js'
import { clearProgress, getProgress, setProgress } from './progress.js'

/**
 * Imports started from the pages and the API, one step per request: upload
 * (the file is read and kept), mapping (remembered per company, kind and
 * file shape), dry run (each row's verdict stored, paged), apply (one
 * transaction). An import is its starter's: others get 404.
 */

type Locale = 'fr' | 'en'

export interface ImportKindView {
  kind: string
  module: string
  label: string
  description: string | null
}

function notFound() {
  return new Exception('Import not found', { status: 404, code: 'E_NOT_FOUND' })
}

const CONFLICTS = {
  applied: 'The import was applied',
  applying: 'The import is being applied',
  not_checked: 'Run the dry run before applying',
} as const

/** A step the import's state does not allow (409); pages show `imports.conflict.<reason>`. */
export class ImportConflict extends Exception {
  static status = 409
  static code = 'E_CONFLICT'
  constructor(readonly reason: keyof typeof CONFLICTS) {
    super(CONFLICTS[reason])
  }
}

function conflict(reason: keyof typeof CONFLICTS) {
  return new ImportConflict(reason)
}

function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

/** The import kinds of enabled modules this user may run. */
export async function kindsFor(access: Access, locale: Locale): Promise<ImportKindView[]> {
  const enabled = await moduleManager.enabledSet()
  return importKinds()
    .filter((k) => enabled.has(k.module) && mayImport(access, k.declaration))
    .map((k) => ({
      kind: k.kind,
      module: k.module,
      label: k.declaration.label[locale],
      description: k.declaration.description?.[locale] ?? null,
    }))
}

/** 404 for an unknown kind or a disabled module, 403 without its permissions. */
async function requireKind(access: Access, kind: string): Promise<ImportKind> {
  const found = findImportKind(kind)
  if (!found || !(await moduleManager.isEnabled(found.module))) throw notFound()
  if (!mayImport(access, found.declaration)) {
    throw new Exception(`Missing permission ${found.declaration.permission}`, {
      status: 403,
      code: 'E_FORBIDDEN',
    })
  }
  return found
}

function signatureOf(headers: string[]) {
  return createHash('sha256').update(headersSignature(headers)).digest('hex')
}

async function rememberedMapping(companyId: number, kind: string, headers: string[]) {
  const row = await db
    .from('import_mappings')
    .where({ company_id: companyId, kind, signature: signatureOf(headers) })
    .first()
  return row ? json<Record<string, unknown>>(row.mapping, {}) : null
}

async function rememberMapping(
  client: QueryClientContract,
  companyId: number,
  kind: string,
  headers: string[],
  mapping: ImportMapping
) {
  await client
    .table('import_mappings')
    .insert({
      company_id: companyId,
      kind,
      signature: signatureOf(headers),
      mapping: JSON.stringify(mapping),
      updated_at: dbNow(client),
    })
    .onConflict(['company_id', 'kind', 'signature'])
    .merge(['mapping', 'updated_at'])
}

/** Refused rows left: a 422 on `rows`, as a form error on the page. */
function notReady(locale: Locale, count: number) {
  return fieldError('rows', i18nManager.locale(locale).t('imports.not_ready', { count }), 'refused')
}

/** Reads an upload; a file it cannot take is a 422 on `file` in the user's language. */
async function readUpload(bytes: Uint8Array, locale: Locale): Promise<ParsedTable> {
  try {
    return await parseImportFile(bytes)
  } catch (error) {
    if (error instanceof ImportFileError) {
      const message = i18nManager.locale(locale).t(`imports.file.${error.reason}`, error.data)
      throw fieldError('file', message, error.reason)
    }
    throw error
  }
}

/** Step 1: reads the file, pre-fills the mapping (remembered for this file shape, else guessed). */
export async function startImport(
  access: Access,
  locale: Locale,
  kindKey: string,
  upload: { bytes: Uint8Array; clientName: string }
) {
  const kind = await requireKind(access, kindKey)
  const table = await readUpload(upload.bytes, locale)
  const fields = kind.declaration.fields
  const remembered = await rememberedMapping(access.companyId, kind.kind, table.headers)
  const mapping = remembered
    ? carryMapping(fields, table.headers, remembered)
    : guessMapping(fields, table.headers)
  const now = dbNow()
  const [row] = await db
    .table('imports')
    .insert({
      company_id: access.companyId,
      user_id: access.userId,
      kind: kind.kind,
      file_name: upload.clientName.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 255) || 'import',
      format: table.format,
      encoding: table.encoding ?? null,
      delimiter: table.delimiter ?? null,
      content: Buffer.from(upload.bytes),
      headers: JSON.stringify(table.headers),
      row_count: table.rows.length,
      mapping: JSON.stringify(mapping),
      excluded: '[]',
      status: 'uploaded',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const id = Number(typeof row === 'object' ? row.id : row)
  return { ...(await showImport(access, locale, id)), mappingRemembered: remembered !== null }
}

async function loadImport(access: Access, id: number) {
  if (!Number.isSafeInteger(id) || id < 1) throw notFound()
  const row = await db
    .from('imports')
    .where({ id, company_id: access.companyId, user_id: access.userId })
    .first()
  if (!row) throw notFound()
  return row
}

/** An import as pages and the API show it: the kind's fields, the file's columns and samples. */
export async function showImport(access: Access, locale: Locale, id: number) {
  const row = await loadImport(access, id)
  const kind = await requireKind(access, row.kind)
  const headers = json<string[]>(row.headers, [])
  let samples: string[][] = []
  if (row.content) {
    const table = await parseImportFile(row.content)
    samples = table.rows
      .slice(0, 3)
      .map((r) =>
        headers.map((_, i) =>
          r.cells[i] === null || r.cells[i] === undefined ? '' : String(r.cells[i])
        )
      )
  }
  return {
    id: Number(row.id),
    kind: kind.kind,
    kindLabel: kind.declaration.label[locale],
    fileName: row.file_name as string,
    format: row.format as string,
    encoding: (row.encoding as string | null) ?? null,
    delimiter: (row.delimiter as string | null) ?? null,
    rowCount: Number(row.row_count),
    headers,
    samples,
    mapping: json<ImportMapping>(row.mapping, {}),
    excluded: json<number[]>(row.excluded, []),
    status: row.status as 'uploaded' | 'checked' | 'applying' | 'applied',
    counts: json<ImportCounts | null>(row.counts, null),
    fields: kind.declaration.fields.map((f) => ({
      key: f.key,
      label: f.label[locale],
      type: f.type,
      required: f.required ?? false,
      help: f.help?.[locale] ?? null,
      isKey: (kind.declaration.keys ?? []).some((k) => k.field === f.key),
    })),
    progress: await getProgress(Number(row.id)),
  }
}

function editable(row: { status: string }) {
  if (row.status === 'applying') throw conflict('applying')
  if (row.status === 'applied') throw conflict('applied')
}

/**
 * Step 2: the user's mapping (field → column title, empty to leave a field
 * out), remembered for the next file with the same columns. The dry run
 * must run again.
 */
export async function saveMapping(access: Access, id: number, mapping: Record<string, unknown>) {
  const row = await loadImport(access, id)
  editable(row)
  const kind = await requireKind(access, row.kind)
  const headers = json<string[]>(row.headers, [])
  const keys = new Set(kind.declaration.fields.map((f) => f.key))
  const columns = new Set(headers)
  const used = new Map<string, string>()
  for (const [field, column] of Object.entries(mapping)) {
    if (column === null || column === undefined || column === '') continue
    if (!keys.has(field)) throw fieldError(`mapping.${field}`, 'Unknown field', 'field')
    if (typeof column !== 'string' || !columns.has(column)) {
      throw fieldError(`mapping.${field}`, 'Unknown column', 'column')
    }
    if (used.has(column)) throw fieldError(`mapping.${field}`, 'Column used twice', 'distinct')
    used.set(column, field)
  }
  const clean = usableMapping(kind.declaration.fields, headers, mapping)
  await db.transaction(async (trx) => {
    await trx
      .from('imports')
      .where('id', row.id)
      .update({
        mapping: JSON.stringify(clean),
        status: 'uploaded',
        counts: null,
        updated_at: dbNow(trx),
      })
    await trx.from('import_rows').where('import_id', row.id).delete()
    await rememberMapping(trx, access.companyId, kind.kind, headers, clean)
  })
  return clean
}

/** Runs the dry run of a stored import (excluding `excluded` lines when given). */
async function dryRun(access: Access, locale: Locale, row: any, excluded?: number[]) {
  const kind = await requireKind(access, row.kind)
  const table = await parseImportFile(row.content)
  const lines = excluded ?? json<number[]>(row.excluded, [])
  const { default: handler } = await kind.declaration.load()
  const ctx = importContext(access, locale)
  const id = Number(row.id)
  const report = await checkImport(ctx, kind, handler, table, json(row.mapping, {}), {
    excluded: new Set(lines),
    progress: (phase, done, total) => void setProgress(id, { phase, done, total }),
  })
  return { kind, handler, ctx, report, lines }
}

/** Step 3: the dry run, stored row by row for the paged list. Nothing else is written. */
export async function runCheck(
  access: Access,
  locale: Locale,
  id: number,
  options: { excluded?: number[]; excludeRefused?: boolean } = {}
) {
  const row = await loadImport(access, id)
  editable(row)
  let excluded = options.excluded
  if (options.excludeRefused) {
    const refused = await db
      .from('import_rows')
      .where({ import_id: row.id, action: 'refuse' })
      .select('line')
    excluded = [
      ...(excluded ?? json<number[]>(row.excluded, [])),
      ...refused.map((r) => Number(r.line)),
    ]
  }
  const { report, lines } = await dryRun(access, locale, row, excluded)
  await db.transaction(async (trx) => {
    await trx.from('import_rows').where('import_id', row.id).delete()
    const verdicts = report.rows.map((r) => ({
      import_id: row.id,
      line: r.line,
      action: r.action,
      record_id: r.recordId,
      problems: r.problems.length ? JSON.stringify(r.problems) : null,
    }))
    for (let i = 0; i < verdicts.length; i += 500) {
      await trx.table('import_rows').multiInsert(verdicts.slice(i, i + 500))
    }
    await trx
      .from('imports')
      .where('id', row.id)
      .update({
        status: 'checked',
        excluded: JSON.stringify([...new Set(lines)].sort((a, b) => a - b)),
        counts: JSON.stringify(report.counts),
        checked_at: dbNow(trx),
        updated_at: dbNow(trx),
      })
  })
  await setProgress(Number(row.id), {
    phase: 'check',
    done: report.rows.length,
    total: report.rows.length,
    finished: true,
  })
  return report.counts
}

/** The dry run's rows, by line, keyset-paged; `action` narrows to one verdict. */
export async function importRows(
  access: Access,
  id: number,
  options: { action?: string; cursor?: string; limit?: number } = {}
) {
  const row = await loadImport(access, id)
  // A line is unique in an import: it is the key the pages seek on.
  const query = db
    .from('import_rows')
    .where('import_id', row.id)
    .select('line as id', 'line', 'action', 'record_id', 'problems')
  if (options.action) query.where('action', options.action)
  const page = await keysetPage<{ id: number; line: number }>(query, {
    idColumn: 'line',
    direction: 'asc',
    limit: options.limit ?? 50,
    cursor: options.cursor,
    valueOf: undefined,
  })
  return {
    data: page.data.map((r: any) => ({
      line: Number(r.line),
      action: r.action as string,
      recordId: r.record_id === null ? null : Number(r.record_id),
      problems: json<{ field: string; rule: string; message: string }[]>(r.problems, []),
    })),
    nextCursor: page.nextCursor,
  }
}

/**
 * Step 4: applies a checked import in one transaction. The rows are checked
 * again first (the data may have moved since the dry run): any refusal
 * refuses the whole import (422) with the new verdicts stored.
 */
export async function runApply(access: Access, locale: Locale, id: number) {
  const row = await loadImport(access, id)
  if (row.status !== 'checked') {
    throw conflict(
      row.status === 'applied' ? 'applied' : row.status === 'applying' ? 'applying' : 'not_checked'
    )
  }
  // Taken by one request only: a second click or a concurrent call gets a 409.
  const taken = await db
    .from('imports')
    .where({ id: row.id, status: 'checked' })
    .update({ status: 'applying', updated_at: dbNow() })
  if (Number(Array.isArray(taken) ? taken[0] : taken) !== 1) {
    throw conflict('applying')
  }
  const importId = Number(row.id)
  try {
    const { kind, handler, ctx, report } = await dryRun(access, locale, row)
    if (report.counts.refuse > 0) {
      await db.from('imports').where('id', row.id).update({ status: 'checked' })
      await runCheck(access, locale, importId)
      throw notReady(locale, report.counts.refuse)
    }
    const counts = await applyImport(ctx, kind, handler, report, {
      progress: (phase, done, total) => void setProgress(importId, { phase, done, total }),
      meta: { importId, file: row.file_name },
    })
    await db
      .from('imports')
      .where('id', row.id)
      .update({
        status: 'applied',
        content: null,
        counts: JSON.stringify(counts),
        applied_at: dbNow(),
        updated_at: dbNow(),
      })
    await rememberMapping(
      db.connection(),
      access.companyId,
      kind.kind,
      json(row.headers, []),
      json(row.mapping, {})
    )
    await setProgress(importId, {
      phase: 'apply',
      done: counts.create + counts.update,
      total: counts.create + counts.update,
      finished: true,
    })
    return counts
  } catch (error) {
    await db
      .from('imports')
      .where({ id: row.id, status: 'applying' })
      .update({ status: 'checked', updated_at: dbNow() })
    await clearProgress(importId)
    throw error
  }
}

/** Where an import stands: its state, counts and the running phase's progress. */
export async function importStatus(access: Access, id: number) {
  const row = await loadImport(access, id)
  return {
    id: Number(row.id),
    status: row.status as string,
    counts: json<ImportCounts | null>(row.counts, null),
    progress: await getProgress(Number(row.id)),
  }
}

/** This user's imports in the current company, latest first, keyset-paged. */
export async function listImports(access: Access, locale: Locale, cursor?: string) {
  const page = await keysetPage<{ id: number } & Record<string, any>>(
    db
      .from('imports')
      .where({ company_id: access.companyId, user_id: access.userId })
      .select('id', 'kind', 'file_name', 'row_count', 'status', 'counts', 'created_at'),
    { direction: 'desc', limit: 20, cursor, valueOf: undefined }
  )
  return {
    data: page.data.map((r) => ({
      id: Number(r.id),
      kind: r.kind as string,
      kindLabel: findImportKind(r.kind)?.declaration.label[locale] ?? r.kind,
      fileName: r.file_name as string,
      rowCount: Number(r.row_count),
      status: r.status as string,
      counts: json<ImportCounts | null>(r.counts, null),
      createdAt: String(r.created_at),
    })),
    nextCursor: page.nextCursor,
  }
}
