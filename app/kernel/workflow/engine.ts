import { Exception } from '@adonisjs/core/exceptions'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Label } from '../modules/define_module.js'
import type { Access } from '../security/access.js'
import { dbNow } from '#kernel/db/timestamp'
import { record as audit } from '#kernel/audit/audit'
import type {
  WorkflowAction,
  WorkflowDefinition,
  WorkflowGuard,
  WorkflowTransition,
} from './types.js'
import { currentVersion, declaredWorkflow, definitionOf, type DeclaredWorkflow } from './store.js'

export type WorkflowErrorCode =
  | 'E_WORKFLOW_UNKNOWN'
  | 'E_WORKFLOW_NOT_FOUND'
  | 'E_WORKFLOW_FORBIDDEN'
  | 'E_WORKFLOW_WRONG_STATE'
  | 'E_WORKFLOW_CONFLICT'
  | 'E_WORKFLOW_GUARD'

const STATUS: Record<WorkflowErrorCode, number> = {
  E_WORKFLOW_UNKNOWN: 422,
  E_WORKFLOW_NOT_FOUND: 404,
  E_WORKFLOW_FORBIDDEN: 403,
  E_WORKFLOW_WRONG_STATE: 409,
  E_WORKFLOW_CONFLICT: 409,
  E_WORKFLOW_GUARD: 422,
}

/**
 * A transition refused: 404 (no such record in the user's scope), 403 (not
 * allowed to fire it), 409 (the record is not, or no longer, in a state it
 * leaves from), 422 (unknown transition, or a guard failed: `reason` says why).
 */
export class WorkflowError extends Exception {
  constructor(
    code: WorkflowErrorCode,
    readonly reason: Label
  ) {
    super(reason.en, { code, status: STATUS[code] })
  }

  /** The reason in `locale`. */
  text(locale: string) {
    return locale === 'en' ? this.reason.en : this.reason.fr
  }
}

/** Where a workflow-enabled model keeps its state, version and scope columns. */
function columnsOf(declaration: DeclaredWorkflow) {
  return {
    state: declaration.stateColumn ?? 'state',
    version: declaration.versionColumn ?? 'workflow_version',
    company: declaration.columns?.company ?? 'company_id',
    owner: declaration.columns?.owner ?? 'owner_id',
    team: declaration.columns?.team ?? 'team_id',
  }
}

function requireDeclaration(model: string) {
  const declaration = declaredWorkflow(model)
  if (!declaration) {
    throw new WorkflowError('E_WORKFLOW_UNKNOWN', {
      fr: `Aucun workflow pour ${model}`,
      en: `No workflow for ${model}`,
    })
  }
  return declaration
}

/**
 * The state and version a new record of `model` starts with; the module
 * writes them with the record (in the same transaction).
 */
export async function startOf(model: string, client?: TransactionClientContract) {
  const declaration = requireDeclaration(model)
  const version = await currentVersion(model, client)
  const definition = (await definitionOf(model, version, client))!
  const initial = definition.states.find((s) => s.initial)!
  const columns = columnsOf(declaration)
  return {
    state: initial.key,
    version,
    columns: { [columns.state]: initial.key, [columns.version]: version },
  }
}

/** A record's values the workflow looks at: its state, owner and declared fields. */
export interface WorkflowSubject {
  state: string
  ownerId: number | null
  /** Declared fields, by attribute name */
  values: Record<string, unknown>
}

/** Why a transition may or may not be fired on a subject, without firing it. */
export type Verdict =
  | { allowed: true; transition: WorkflowTransition }
  | { allowed: false; code: WorkflowErrorCode; reason: Label; transition?: WorkflowTransition }

function mayFire(access: Access, transition: WorkflowTransition, subject: WorkflowSubject) {
  const allow = transition.allow
  if (access.isAdmin || !allow) return true
  if (allow.roles?.includes(access.role)) return true
  if (allow.permissions?.some((p) => access.can(p))) return true
  if (allow.owner && subject.ownerId !== null && subject.ownerId === access.userId) return true
  return false
}

function compare(value: unknown, guard: WorkflowGuard): boolean {
  const empty = value === null || value === undefined || value === ''
  switch (guard.op) {
    case 'empty':
      return empty
    case 'not_empty':
      return !empty
    case 'in':
      return (guard.value as unknown[]).some((v) => String(v) === String(value))
    case 'not_in':
      return !(guard.value as unknown[]).some((v) => String(v) === String(value))
    case '=':
      return String(value ?? '') === String(guard.value ?? '')
    case '!=':
      return String(value ?? '') !== String(guard.value ?? '')
  }
  if (empty) return false
  const [a, b] =
    typeof guard.value === 'number'
      ? [Number(value), guard.value]
      : [String(value), String(guard.value)]
  if (guard.op === '>') return a > b
  if (guard.op === '>=') return a >= b
  if (guard.op === '<') return a < b
  return a <= b
}

function guardReason(guard: WorkflowGuard, declaration: DeclaredWorkflow): Label {
  if (guard.message) return guard.message
  const label = declaration.fields?.[guard.field]?.label ?? { fr: guard.field, en: guard.field }
  const value = Array.isArray(guard.value) ? guard.value.join(', ') : String(guard.value ?? '')
  return {
    fr: `Condition non remplie : ${label.fr} ${guard.op} ${value}`.trim(),
    en: `Condition not met: ${label.en} ${guard.op} ${value}`.trim(),
  }
}

/**
 * Decides whether `access` may fire `transitionKey` on a subject under
 * `definition`: the transition exists, leaves the subject's state, the user
 * is among those allowed, and every guard holds. Used by `fire` and by the
 * designer's "try a transition on a sample record".
 */
export function judge(
  access: Access,
  declaration: DeclaredWorkflow,
  definition: WorkflowDefinition,
  subject: WorkflowSubject,
  transitionKey: string
): Verdict {
  const transition = definition.transitions.find((t) => t.key === transitionKey)
  if (!transition) {
    return {
      allowed: false,
      code: 'E_WORKFLOW_UNKNOWN',
      reason: {
        fr: `Transition inconnue : ${transitionKey}`,
        en: `Unknown transition: ${transitionKey}`,
      },
    }
  }
  if (!transition.from.includes(subject.state)) {
    const state = definition.states.find((s) => s.key === subject.state)?.label ?? {
      fr: subject.state,
      en: subject.state,
    }
    return {
      allowed: false,
      code: 'E_WORKFLOW_WRONG_STATE',
      transition,
      reason: {
        fr: `« ${transition.label.fr} » ne s'applique pas à l'état « ${state.fr} »`,
        en: `"${transition.label.en}" does not apply in the state "${state.en}"`,
      },
    }
  }
  if (!mayFire(access, transition, subject)) {
    return {
      allowed: false,
      code: 'E_WORKFLOW_FORBIDDEN',
      transition,
      reason: {
        fr: `Vous n'êtes pas autorisé à « ${transition.label.fr} »`,
        en: `You are not allowed to "${transition.label.en}"`,
      },
    }
  }
  for (const guard of transition.guards ?? []) {
    if (guard.exemptRoles?.includes(access.role) || access.isAdmin) continue
    if (!compare(subject.values[guard.field], guard)) {
      return {
        allowed: false,
        code: 'E_WORKFLOW_GUARD',
        transition,
        reason: guardReason(guard, declaration),
      }
    }
  }
  return { allowed: true, transition }
}

/** A row's subject: its state, owner and declared fields by attribute name. */
function subjectOf(declaration: DeclaredWorkflow, row: Record<string, unknown>): WorkflowSubject {
  const columns = columnsOf(declaration)
  const values: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(declaration.fields ?? {}))
    values[name] = row[field.column]
  return {
    state: String(row[columns.state]),
    ownerId: (row[columns.owner] as number | null) ?? null,
    values,
  }
}

/** The transitions a user sees on a record, each with whether it may be fired now and why not. */
export async function transitionsFor(access: Access, model: string, row: Record<string, unknown>) {
  const declaration = requireDeclaration(model)
  const columns = columnsOf(declaration)
  const version = Number(row[columns.version] ?? (await currentVersion(model)))
  const definition = await definitionOf(model, version)
  if (!definition) return { state: null, transitions: [] }
  const subject = subjectOf(declaration, row)
  const state = definition.states.find((s) => s.key === subject.state) ?? null
  const transitions = definition.transitions
    .filter((t) => t.from.includes(subject.state))
    .map((t) => ({ t, verdict: judge(access, declaration, definition, subject, t.key) }))
    // What a user may never fire is not offered; a failing guard is shown with its reason.
    .filter(({ verdict }) => verdict.allowed || verdict.code !== 'E_WORKFLOW_FORBIDDEN')
    .map(({ t, verdict }) => ({
      key: t.key,
      label: t.label,
      to: definition.states.find((s) => s.key === t.to)?.label ?? { fr: t.to, en: t.to },
      allowed: verdict.allowed,
      reason: verdict.allowed ? null : verdict.reason,
    }))
  return { state, version, transitions }
}

/**
 * The record as the workflow sees it, read within the user's scope of the
 * workflow's permission; null when it is outside (callers answer 404).
 */
export async function visibleRecord(access: Access, model: string, id: number) {
  const declaration = requireDeclaration(model)
  if (!Number.isInteger(id) || id < 1) return null
  const query = access.scope(
    db.from(declaration.table),
    declaration.permission,
    columnsOf(declaration)
  )
  return ((await query.where('id', id).first()) as Record<string, unknown> | null) ?? null
}

/**
 * What a detail page shows of a record's workflow: its state and the
 * transitions the user may fire (none when the record is outside the scope
 * of the workflow's permission: they may read it, not move it). The caller
 * has already checked that the user may read the record.
 */
export async function workflowPanel(access: Access, model: string, id: number) {
  const declaration = requireDeclaration(model)
  const columns = columnsOf(declaration)
  const row = (await db
    .from(declaration.table)
    .where(columns.company, access.companyId)
    .where('id', id)
    .first()) as Record<string, unknown> | null
  if (!row) return null
  const panel = await transitionsFor(access, model, row)
  const movable = await visibleRecord(access, model, id)
  return {
    state: panel.state,
    version: panel.version,
    transitions: movable ? panel.transitions : [],
  }
}

/** The hook the notification service plugs in; until then deliveries stay queued. */
export const workflowDelivery: {
  deliver: (ids: number[]) => Promise<unknown> | void
} = { deliver: () => {} }

async function queueActions(
  trx: TransactionClientContract,
  declaration: DeclaredWorkflow,
  row: Record<string, unknown>,
  transition: WorkflowTransition,
  actions: WorkflowAction[]
) {
  const columns = columnsOf(declaration)
  const companyId = row[columns.company] as number
  const ids: number[] = []
  for (const action of actions) {
    if (action.type === 'set') continue
    const recipients = new Set<number>()
    if (action.owner && row[columns.owner]) recipients.add(row[columns.owner] as number)
    if (action.roles?.length) {
      const members = await trx
        .from('company_users')
        .join('roles', 'roles.id', 'company_users.role_id')
        .where('company_users.company_id', companyId)
        .whereIn('roles.key', action.roles)
        .select('company_users.user_id')
      for (const m of members) recipients.add(m.user_id as number)
    }
    const [inserted] = await trx
      .table('workflow_deliveries')
      .insert({
        company_id: companyId,
        model: declaration.model,
        record_id: String(row.id),
        transition: transition.key,
        channel: action.type,
        recipients: JSON.stringify([...recipients].sort((a, b) => a - b)),
        message: JSON.stringify(action.message),
        status: 'pending',
        created_at: dbNow(trx),
      })
      .returning('id')
    ids.push(typeof inserted === 'object' ? Number(inserted.id) : Number(inserted))
  }
  return ids
}

function setValue(
  action: Extract<WorkflowAction, { type: 'set' }>,
  access: Access,
  trx: TransactionClientContract
) {
  if (action.value === '$now') return dbNow(trx)
  if (action.value === '$user') return access.userId
  return action.value
}

export interface Fired {
  id: number
  from: string
  to: string
  transition: string
  label: Label
  version: number
}

/**
 * Fires a transition on one record, as one transaction: the record is read
 * within the user's scope and locked, the verdict is taken (who, from which
 * state, guards), the state and the `set` fields change with a conditional
 * update (the state must still be the one read, so of two concurrent
 * conflicting transitions exactly one wins, the other gets a 409 even where
 * rows cannot be locked), notifications and mails are queued, the audit
 * trail gets a `transition` entry, and `workflow:transition` is emitted once
 * committed.
 */
export async function fire(
  access: Access,
  model: string,
  id: number,
  transitionKey: string,
  options: { client?: TransactionClientContract } = {}
): Promise<Fired> {
  const declaration = requireDeclaration(model)
  const columns = columnsOf(declaration)
  const run = async (trx: TransactionClientContract) => {
    const query = access.scope(trx.from(declaration.table), declaration.permission, columns)
    const row = (await query.where('id', id).forUpdate().first()) as Record<string, unknown> | null
    if (!row) {
      throw new WorkflowError('E_WORKFLOW_NOT_FOUND', {
        fr: 'Fiche introuvable',
        en: 'Record not found',
      })
    }
    const version = Number(row[columns.version] ?? (await currentVersion(model, trx)))
    const definition = await definitionOf(model, version, trx)
    if (!definition) {
      throw new WorkflowError('E_WORKFLOW_UNKNOWN', {
        fr: `Version ${version} du workflow introuvable`,
        en: `Workflow version ${version} not found`,
      })
    }
    const subject = subjectOf(declaration, row)
    const verdict = judge(access, declaration, definition, subject, transitionKey)
    if (!verdict.allowed) throw new WorkflowError(verdict.code, verdict.reason)
    const transition = verdict.transition

    const changes: Record<string, unknown> = { [columns.state]: transition.to }
    for (const action of transition.actions ?? []) {
      if (action.type === 'set') {
        changes[declaration.fields![action.field].column] = setValue(action, access, trx)
      }
    }
    const updated = await trx
      .from(declaration.table)
      .where('id', id)
      .where(columns.state, subject.state)
      .update({ ...changes, [columns.version]: version, updated_at: dbNow(trx) })
    const count = Array.isArray(updated) ? updated.length : Number(updated)
    if (!count) {
      throw new WorkflowError('E_WORKFLOW_CONFLICT', {
        fr: "La fiche vient de changer d'état : rechargez-la",
        en: 'The record has just changed state: reload it',
      })
    }
    const before: Record<string, unknown> = {}
    for (const column of Object.keys(changes)) before[column] = row[column]
    await audit(trx, {
      event: 'transition',
      model,
      recordId: id,
      before: { ...before, [columns.company]: row[columns.company] },
      after: { ...changes, [columns.company]: row[columns.company] },
      meta: { transition: transition.key, from: subject.state, to: transition.to, version },
    })
    const deliveries = await queueActions(
      trx,
      declaration,
      row,
      transition,
      transition.actions ?? []
    )
    return {
      fired: {
        id,
        from: subject.state,
        to: transition.to,
        transition: transition.key,
        label: transition.label,
        version,
      },
      deliveries,
      companyId: row[columns.company] as number,
    }
  }

  const result = options.client ? await run(options.client) : await db.transaction(run)
  const after = async () => {
    await emitter.emit('workflow:transition' as any, {
      model,
      companyId: result.companyId,
      actorId: access.userId,
      ...result.fired,
    })
    if (result.deliveries.length) await workflowDelivery.deliver(result.deliveries)
  }
  if (options.client) options.client.after('commit', after)
  else await after()
  return result.fired
}
