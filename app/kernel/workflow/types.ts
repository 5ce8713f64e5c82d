import type { Label } from '../modules/define_module.js'

/** One state a record can be in. */
export interface WorkflowState {
  /** Stored in the record's state column: lower case, digits, underscores */
  key: string
  label: Label
  /** The state new records start in (exactly one) */
  initial?: boolean
  /** A state no transition leaves */
  final?: boolean
}

export const GUARD_OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not_in',
  'empty',
  'not_empty',
] as const
export type GuardOperator = (typeof GUARD_OPERATORS)[number]

/**
 * A condition on the record's values that must hold for the transition to
 * fire, e.g. `{ field: 'amount', op: '<=', value: 5000, exemptRoles: ['manager'] }`:
 * above 5 000, only a manager may fire it. Users whose role is in
 * `exemptRoles` pass the guard whatever the values.
 */
export interface WorkflowGuard {
  /** A field the workflow declares (see WorkflowDeclaration.fields) */
  field: string
  op: GuardOperator
  /** Compared with the field's value; a list for `in` and `not_in`; none for `empty` */
  value?: string | number | boolean | null | (string | number)[]
  exemptRoles?: string[]
  /** Shown when the guard fails; a generic sentence otherwise */
  message?: Label
}

/**
 * What a transition does besides changing the state. `set` changes a field
 * in the same transaction; `notify` and `email` are queued for delivery
 * (the record's owner, members holding a role, or both).
 */
export type WorkflowAction =
  | { type: 'set'; field: string; value: string | number | boolean | null | '$now' | '$user' }
  | { type: 'notify' | 'email'; roles?: string[]; owner?: boolean; message: Label }

export const ACTION_TYPES = ['set', 'notify', 'email'] as const

export interface WorkflowTransition {
  /** Unique in the workflow: lower case, digits, underscores */
  key: string
  label: Label
  /** The states it may be fired from */
  from: string[]
  to: string
  /**
   * Who may fire it, besides admins: members whose role is listed, members
   * holding one of the permissions, or the record's owner. Absent: anyone
   * who may change the record.
   */
  allow?: { roles?: string[]; permissions?: string[]; owner?: boolean }
  guards?: WorkflowGuard[]
  actions?: WorkflowAction[]
}

export interface WorkflowDefinition {
  states: WorkflowState[]
  transitions: WorkflowTransition[]
}

export type WorkflowFieldType = 'string' | 'number' | 'boolean' | 'date'

/**
 * A workflow-enabled model, declared by its module in the manifest's
 * `workflows`, keyed `<module>.<model>`. The module ships the default
 * definition; admins publish new versions; each record keeps the version it
 * started under.
 */
export interface WorkflowDeclaration {
  label: Label
  /** The table the records live in (company_id, owner_id, team_id as for record scopes) */
  table: string
  /** The column holding the state (default `state`) */
  stateColumn?: string
  /** The column holding the definition version the record runs under (default `workflow_version`) */
  versionColumn?: string
  /** The permission whose record scope decides which records a user may move */
  permission: string
  /** Record scope columns when they are not company_id, owner_id, team_id */
  columns?: { company?: string; owner?: string; team?: string }
  /** Fields guards may test and `set` actions may change: attribute name → column and type */
  fields?: Record<string, { column: string; type: WorkflowFieldType; label: Label }>
  /** The default definition (version 1) */
  definition: WorkflowDefinition
}
