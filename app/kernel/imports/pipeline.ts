import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import { Exception } from '@adonisjs/core/exceptions'
import type { Access } from '../security/access.js'
import registry from '../modules/registry.js'
import { record } from '../audit/audit.js'
import { typeCell } from './cells.js'
import type { ParsedTable } from './parse.js'
import type { ImportMapping } from './mapping.js'
import type {
  CheckedRow,
  ImportContext,
  ImportDeclaration,
  ImportHandler,
  ImportProblem,
  ImportValues,
} from './types.js'

/** An import kind as the kernel knows it: `<module>.<name>`, its module and declaration. */
export interface ImportKind {
  kind: string
  module: string
  declaration: ImportDeclaration
}

/** What one row of the file would become. */
export interface RowResult {
  line: number
  action: 'create' | 'update' | 'refuse' | 'excluded'
  recordId: number | null
  problems: ImportProblem[]
  values: ImportValues
}

export interface ImportCounts {
  create: number
  update: number
  refuse: number
  excluded: number
}

export interface CheckReport {
  counts: ImportCounts
  rows: RowResult[]
}

export type Progress = (phase: 'check' | 'apply', done: number, total: number) => void

/** Rows per batch of key look-ups, and how often progress is reported. */
const BATCH = 500
const PROGRESS_EVERY = 100

/** Every import kind of the modules on disk (enabled or not: callers check). */
export function importKinds(): ImportKind[] {
  return registry.all().flatMap((m) =>
    Object.entries(m.imports ?? {}).map(([kind, declaration]) => ({
      kind,
      module: m.name,
      declaration,
    }))
  )
}

export function findImportKind(kind: string): ImportKind | null {
  return importKinds().find((k) => k.kind === kind) ?? null
}

export function importContext(access: Access, locale: 'fr' | 'en'): ImportContext {
  const i18n = i18nManager.locale(locale)
  return { access, locale, t: (key, data) => i18n.t(key, data) }
}

/**
 * Whether this user may run an import of this kind: its permission, and the
 * module's permission to create or to update records (at least one).
 */
export function mayImport(access: Access, declaration: ImportDeclaration) {
  return (
    access.can(declaration.permission) &&
    (access.can(declaration.createPermission) || access.can(declaration.updatePermission))
  )
}

function problem(
  ctx: ImportContext,
  field: string,
  rule: string,
  data: Record<string, unknown> = {}
) {
  return { field, rule, message: ctx.t(`imports.errors.${rule}`, data) }
}

/**
 * The dry run: types every mapped cell, finds the records the keys point at
 * (within the user's update scope), and asks the module to check each row.
 * Nothing is written. `excluded` lines are reported as such and not checked.
 */
export async function checkImport(
  ctx: ImportContext,
  kind: ImportKind,
  handler: ImportHandler,
  table: ParsedTable,
  mapping: ImportMapping,
  options: { excluded?: ReadonlySet<number>; progress?: Progress } = {}
): Promise<CheckReport> {
  const { declaration } = kind
  const columns = new Map(
    declaration.fields
      .filter((field) => mapping[field.key] !== undefined)
      .map((field) => [field, table.headers.indexOf(mapping[field.key])])
  )
  const total = table.rows.length
  const results: RowResult[] = []

  // 1. Cells → typed values, required fields.
  for (const row of table.rows) {
    if (options.excluded?.has(row.line)) {
      results.push({ line: row.line, action: 'excluded', recordId: null, problems: [], values: {} })
      continue
    }
    const values: ImportValues = {}
    const problems: ImportProblem[] = []
    for (const field of declaration.fields) {
      const index = columns.get(field)
      const typed =
        index === undefined || index < 0
          ? { empty: true as const }
          : typeCell(field, row.cells[index] ?? null)
      if ('empty' in typed) {
        if (field.required) problems.push(problem(ctx, field.key, 'required'))
      } else if ('rule' in typed) {
        problems.push(problem(ctx, field.key, typed.rule, typed.data))
      } else {
        values[field.key] = typed.value
      }
    }
    results.push({ line: row.line, action: 'create', recordId: null, problems, values })
  }

  // 2. Keys → existing records, in batches, then duplicates within the file.
  const keys = declaration.keys ?? []
  const matches = new Map<string, Map<string, number[]>>()
  if (keys.length && handler.match) {
    const client = db.connection()
    for (const key of keys) {
      const wanted = [
        ...new Set(
          results
            .filter((r) => r.action !== 'excluded' && r.values[key.field] !== undefined)
            .map((r) => String(r.values[key.field]))
        ),
      ]
      const found = new Map<string, number[]>()
      for (let i = 0; i < wanted.length; i += BATCH) {
        const batch = await handler.match({ ...ctx, client }, key.field, wanted.slice(i, i + BATCH))
        for (const [value, ids] of batch) found.set(value, ids)
      }
      matches.set(key.field, found)
    }
  }
  const seen = new Map<string, number>()
  for (const result of results) {
    if (result.action === 'excluded') continue
    const key = keys.find((k) => result.values[k.field] !== undefined)
    if (!key) continue
    const value = String(result.values[key.field])
    const first = seen.get(`${key.field}\u0000${value}`)
    if (first !== undefined) {
      result.problems.push(problem(ctx, key.field, 'duplicate', { line: first }))
      result.action = 'refuse'
      continue
    }
    seen.set(`${key.field}\u0000${value}`, result.line)
    const ids = matches.get(key.field)?.get(value) ?? []
    if (ids.length === 1) {
      result.action = 'update'
      result.recordId = ids[0]
    } else if (ids.length > 1) {
      result.problems.push(problem(ctx, key.field, 'ambiguous', { count: ids.length }))
      result.action = 'refuse'
    } else if (key.mustExist) {
      result.problems.push(problem(ctx, key.field, 'not_found'))
      result.action = 'refuse'
    }
  }

  // 3. Permissions per action, then the module's own rules — on every row, so a
  // row's problems are all listed at once.
  const mayCreate = ctx.access.can(declaration.createPermission)
  const mayUpdate = ctx.access.can(declaration.updatePermission)
  let done = 0
  for (const result of results) {
    done++
    if (result.action !== 'excluded') {
      if (result.action === 'create' && !mayCreate) {
        result.problems.push(problem(ctx, 'row', 'forbidden_create'))
      }
      if (result.action === 'update' && !mayUpdate) {
        result.problems.push(problem(ctx, 'row', 'forbidden_update'))
      }
      if (handler.check) {
        const more = await handler.check(ctx, {
          values: result.values,
          action: result.action === 'update' ? 'update' : 'create',
          recordId: result.recordId,
        })
        if (more?.length) result.problems.push(...more)
      }
      if (result.problems.length) result.action = 'refuse'
    }
    if (done % PROGRESS_EVERY === 0 || done === total) {
      options.progress?.('check', done, total)
      // Let the process answer other requests (a progress poll) between batches of rows.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  const counts: ImportCounts = { create: 0, update: 0, refuse: 0, excluded: 0 }
  for (const result of results) counts[result.action]++
  return { counts, rows: results }
}

/** Refused rows left in a file asked to be applied: the whole import is refused (422). */
export class ImportNotReady extends Exception {
  static status = 422
  static code = 'E_IMPORT_NOT_READY'
  constructor(readonly refused: number) {
    super(`${refused} rows are refused: fix or exclude them first`)
  }
}

/**
 * Applies a checked file in ONE transaction: every created or updated row and
 * the import's audit entry commit together, or nothing does (an error, a
 * refused row, a killed process). Excluded rows are skipped.
 */
export async function applyImport(
  ctx: ImportContext,
  kind: ImportKind,
  handler: ImportHandler,
  report: CheckReport,
  options: {
    progress?: Progress
    meta?: Record<string, unknown>
    actor?: { actorId?: number | null; companyId?: number | null }
  } = {}
): Promise<ImportCounts> {
  if (report.counts.refuse > 0) throw new ImportNotReady(report.counts.refuse)
  const rows: CheckedRow[] = report.rows
    .filter((r) => r.action === 'create' || r.action === 'update')
    .map((r) => ({
      line: r.line,
      action: r.action as 'create' | 'update',
      recordId: r.recordId,
      values: r.values,
    }))
  const total = rows.length
  let last = 0
  await db.transaction(async (trx) => {
    options.progress?.('apply', 0, total)
    await handler.apply(
      {
        ...ctx,
        trx,
        progress: (done) => {
          if (done === total || done - last >= PROGRESS_EVERY) {
            last = done
            options.progress?.('apply', done, total)
          }
        },
      },
      rows
    )
    await record(trx, {
      event: 'import.applied',
      model: null,
      meta: { kind: kind.kind, ...report.counts, ...options.meta },
      actor: { companyId: ctx.access.companyId, ...options.actor },
    })
  })
  options.progress?.('apply', total, total)
  return report.counts
}
