import type { Label } from '../modules/define_module.js'
import {
  ACTION_TYPES,
  GUARD_OPERATORS,
  type WorkflowDeclaration,
  type WorkflowDefinition,
} from './types.js'

/** One thing wrong with a definition: where (a JSON path), and why. */
export interface DefinitionProblem {
  field: string
  rule: string
  message: Label
}

const KEY = /^[a-z][a-z0-9_]{0,59}$/

/** What a definition may refer to beyond itself. */
export interface DefinitionContext {
  fields: WorkflowDeclaration['fields']
  /** Role keys that exist; roles are not checked when absent */
  roles?: ReadonlySet<string>
  /** Permission keys that exist; permissions are not checked when absent */
  permissions?: ReadonlySet<string>
}

function isLabel(value: unknown): value is Label {
  const label = value as Label
  return (
    typeof label === 'object' &&
    label !== null &&
    typeof label.fr === 'string' &&
    typeof label.en === 'string' &&
    label.fr.trim() !== '' &&
    label.en.trim() !== '' &&
    label.fr.length <= 120 &&
    label.en.length <= 120
  )
}

/**
 * Every problem of a workflow definition, empty when it is sound: one
 * initial state, unique keys, transitions between known states, no
 * transition out of a final state, every state reachable from the initial
 * one, guards and actions on declared fields, roles and permissions that
 * exist. Takes untrusted input (an admin's JSON) as well as a manifest's.
 */
export function validateDefinition(
  input: unknown,
  context: DefinitionContext
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const problem = (field: string, rule: string, fr: string, en: string) =>
    problems.push({ field, rule, message: { fr, en } })
  /** A state's or a transition's key and label: well formed, unique, labelled; false when unusable. */
  const named = (
    at: string,
    item: { key?: unknown; label?: unknown } | null,
    seen: Set<string>,
    what: { fr: string; en: string }
  ): item is { key: string; label: Label } => {
    if (typeof item?.key !== 'string' || !KEY.test(item.key)) {
      problem(
        `${at}.key`,
        'key',
        'Clé invalide : minuscules, chiffres et « _ », commençant par une lettre',
        'Invalid key: lower case letters, digits and "_", starting with a letter'
      )
      return false
    }
    if (seen.has(item.key)) {
      problem(
        `${at}.key`,
        'unique',
        `${what.fr} « ${item.key} » est déclaré(e) deux fois`,
        `${what.en} "${item.key}" is declared twice`
      )
    }
    seen.add(item.key)
    if (!isLabel(item.label)) {
      problem(
        `${at}.label`,
        'label',
        'Libellé requis en français et en anglais',
        'A label is required in French and English'
      )
    }
    return true
  }

  const definition = input as WorkflowDefinition
  if (typeof definition !== 'object' || definition === null) {
    problem('definition', 'object', 'La définition est requise', 'The definition is required')
    return problems
  }
  if (!Array.isArray(definition.states) || definition.states.length === 0) {
    problem('states', 'required', 'Ajoutez au moins un état', 'Add at least one state')
    return problems
  }
  if (!Array.isArray(definition.transitions)) {
    problem('transitions', 'array', 'Les transitions sont une liste', 'Transitions are a list')
    return problems
  }
  if (definition.states.length > 50 || definition.transitions.length > 200) {
    problem(
      'states',
      'max',
      'Au plus 50 états et 200 transitions',
      'At most 50 states and 200 transitions'
    )
    return problems
  }

  const states = new Set<string>()
  const finals = new Set<string>()
  let initial = null as string | null
  definition.states.forEach((state, i) => {
    const at = `states.${i}`
    if (!named(at, state, states, { fr: "L'état", en: 'State' })) return
    if (state.final) finals.add(state.key)
    if (state.initial) {
      if (initial !== null) {
        problem(
          `${at}.initial`,
          'one_initial',
          `Un seul état initial : « ${initial} » l'est déjà`,
          `Only one initial state: "${initial}" already is`
        )
      } else {
        initial = state.key
      }
    }
  })
  if (initial === null) {
    problem('states', 'initial', 'Aucun état initial', 'No initial state')
  } else if (finals.has(initial)) {
    problem(
      'states',
      'initial_final',
      "L'état initial ne peut pas être final",
      'The initial state cannot be final'
    )
  }

  const fields = context.fields ?? {}
  const keys = new Set<string>()
  const edges = new Map<string, Set<string>>()
  definition.transitions.forEach((transition, i) => {
    const at = `transitions.${i}`
    if (!named(at, transition, keys, { fr: 'La transition', en: 'Transition' })) return
    if (!Array.isArray(transition.from) || transition.from.length === 0) {
      problem(`${at}.from`, 'required', 'Indiquez au moins un état de départ', 'Name a start state')
    } else {
      for (const from of transition.from) {
        if (!states.has(from)) {
          problem(
            `${at}.from`,
            'unknown_state',
            `« ${transition.key} » part d'un état inconnu : « ${from} »`,
            `"${transition.key}" starts from an unknown state: "${from}"`
          )
        } else if (finals.has(from)) {
          problem(
            `${at}.from`,
            'from_final',
            `« ${transition.key} » part de l'état final « ${from} »`,
            `"${transition.key}" leaves the final state "${from}"`
          )
        } else if (typeof transition.to === 'string') {
          if (!edges.has(from)) edges.set(from, new Set())
          edges.get(from)!.add(transition.to)
        }
      }
    }
    if (typeof transition.to !== 'string' || !states.has(transition.to)) {
      problem(
        `${at}.to`,
        'unknown_state',
        `« ${transition.key} » mène à un état inconnu : « ${String(transition.to)} »`,
        `"${transition.key}" leads to an unknown state: "${String(transition.to)}"`
      )
    }

    const allow = transition.allow
    if (allow !== undefined) {
      for (const role of allow.roles ?? []) {
        if (context.roles && !context.roles.has(role)) {
          problem(
            `${at}.allow.roles`,
            'unknown_role',
            `Rôle inconnu : ${role}`,
            `Unknown role: ${role}`
          )
        }
      }
      for (const permission of allow.permissions ?? []) {
        if (context.permissions && !context.permissions.has(permission)) {
          problem(
            `${at}.allow.permissions`,
            'unknown_permission',
            `Permission inconnue : ${permission}`,
            `Unknown permission: ${permission}`
          )
        }
      }
    }

    ;(transition.guards ?? []).forEach((guard, j) => {
      const where = `${at}.guards.${j}`
      if (!guard || !(guard.field in fields)) {
        problem(
          `${where}.field`,
          'unknown_field',
          `Champ inconnu : ${String(guard?.field)}`,
          `Unknown field: ${String(guard?.field)}`
        )
        return
      }
      if (!GUARD_OPERATORS.includes(guard.op)) {
        problem(
          `${where}.op`,
          'operator',
          `Opérateur inconnu : ${guard.op}`,
          `Unknown operator: ${guard.op}`
        )
        return
      }
      const listed = guard.op === 'in' || guard.op === 'not_in'
      const needsValue = guard.op !== 'empty' && guard.op !== 'not_empty'
      if (listed && !Array.isArray(guard.value)) {
        problem(
          `${where}.value`,
          'array',
          'Une liste de valeurs est attendue',
          'A list of values is expected'
        )
      } else if (
        needsValue &&
        !listed &&
        (guard.value === undefined || Array.isArray(guard.value))
      ) {
        problem(`${where}.value`, 'required', 'Une valeur est attendue', 'A value is expected')
      } else if (
        ['>', '>=', '<', '<='].includes(guard.op) &&
        fields[guard.field].type === 'number' &&
        typeof guard.value !== 'number'
      ) {
        problem(`${where}.value`, 'number', 'Un nombre est attendu', 'A number is expected')
      }
      if (guard.message !== undefined && !isLabel(guard.message)) {
        problem(
          `${where}.message`,
          'label',
          'Message requis en français et en anglais',
          'A message is required in French and English'
        )
      }
      for (const role of guard.exemptRoles ?? []) {
        if (context.roles && !context.roles.has(role)) {
          problem(
            `${where}.exemptRoles`,
            'unknown_role',
            `Rôle inconnu : ${role}`,
            `Unknown role: ${role}`
          )
        }
      }
    })

    ;(transition.actions ?? []).forEach((action, j) => {
      const where = `${at}.actions.${j}`
      if (!action || !ACTION_TYPES.includes(action.type)) {
        problem(`${where}.type`, 'action', 'Action inconnue', 'Unknown action')
        return
      }
      if (action.type === 'set') {
        if (!(action.field in fields)) {
          problem(
            `${where}.field`,
            'unknown_field',
            `Champ inconnu : ${action.field}`,
            `Unknown field: ${action.field}`
          )
        }
        return
      }
      if (!isLabel(action.message)) {
        problem(
          `${where}.message`,
          'label',
          'Message requis en français et en anglais',
          'A message is required in French and English'
        )
      }
      if (!action.owner && !(action.roles ?? []).length) {
        problem(`${where}.roles`, 'recipients', 'Indiquez qui prévenir', 'Say whom to notify')
      }
      for (const role of action.roles ?? []) {
        if (context.roles && !context.roles.has(role)) {
          problem(
            `${where}.roles`,
            'unknown_role',
            `Rôle inconnu : ${role}`,
            `Unknown role: ${role}`
          )
        }
      }
    })
  })

  // Every state must be reachable from the initial one.
  if (initial !== null && problems.length === 0) {
    const reached = new Set<string>([initial])
    const queue = [initial]
    while (queue.length) {
      for (const next of edges.get(queue.shift()!) ?? []) {
        if (!reached.has(next)) {
          reached.add(next)
          queue.push(next)
        }
      }
    }
    for (const state of states) {
      if (!reached.has(state)) {
        problem(
          'states',
          'unreachable',
          `L'état « ${state} » est inaccessible depuis l'état initial`,
          `State "${state}" cannot be reached from the initial state`
        )
      }
    }
  }
  return problems
}
