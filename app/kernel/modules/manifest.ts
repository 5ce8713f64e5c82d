import { IANAZone } from 'luxon'
import { BUILTIN_ROLES, type ModuleManifest } from './define_module.js'
import { MODULE_NAME_PATTERN } from './paths.js'
import { ModuleError } from './errors.js'
import { legacyFormat, parseFormat } from '../numbering/format.js'
import { validateDefinition } from '../workflow/validate.js'
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../attachments/types.js'
import { cronProblem } from '../jobs/cron.js'
import { settingsProblem } from '../settings/define.js'

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const PERMISSION = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/

function isLabel(value: unknown) {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as any).fr === 'string' &&
    typeof (value as any).en === 'string' &&
    (value as any).fr.length > 0 &&
    (value as any).en.length > 0
  )
}

const FORMAT_PROBLEMS: Record<string, string> = {
  seq_missing: 'it needs one {seq:N} token',
  seq_twice: 'it has more than one {seq} token',
  unknown_token: 'only {YYYY}, {YY}, {MM} and {seq:N} are known tokens',
  padding: 'N in {seq:N} must be from 1 to 12',
  too_long: 'it is longer than 60 characters',
  year_missing: 'a series reset every year or month must show the year ({YYYY} or {YY})',
  month_missing: 'a series reset every month must show the month ({MM})',
}

function isStringArray(value: unknown) {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/**
 * Checks a manifest read from `modules/<folder>/module.ts` and throws a
 * ModuleError naming the module and the first offending field.
 */
export function validateManifest(raw: unknown, folder: string): ModuleManifest {
  const fail = (field: string, why: string): never => {
    throw new ModuleError(`Module "${folder}": invalid manifest: "${field}" ${why}`)
  }
  if (typeof raw !== 'object' || raw === null) {
    fail('default export', 'must be the object returned by defineModule()')
  }
  const m = raw as Record<string, any>

  if (typeof m.name !== 'string' || !MODULE_NAME_PATTERN.test(m.name)) {
    fail('name', 'must be lowercase letters, digits, "-" or "_", starting with a letter')
  }
  if (m.name !== folder) {
    fail('name', `is "${m.name}" but the module folder is "${folder}": they must match`)
  }
  if (typeof m.version !== 'string' || !SEMVER.test(m.version)) {
    fail('version', 'must be a semantic version such as 1.0.0')
  }
  if (!isLabel(m.label)) fail('label', 'must be { fr, en } with non-empty texts')
  if (!isLabel(m.description)) fail('description', 'must be { fr, en } with non-empty texts')
  for (const key of ['depends', 'integrates', 'customizable'] as const) {
    if (m[key] !== undefined && !isStringArray(m[key])) fail(key, 'must be a list of names')
  }
  if ((m.depends ?? []).includes(m.name)) fail('depends', 'cannot name the module itself')

  const permissionKeys = new Set<string>()
  for (const [i, p] of (m.permissions ?? []).entries()) {
    if (typeof p?.key !== 'string' || !PERMISSION.test(p.key)) {
      fail(`permissions[${i}].key`, 'must look like module.resource.action')
    }
    if (!p.key.startsWith(`${m.name}.`)) {
      fail(`permissions[${i}].key`, `must start with the module name "${m.name}."`)
    }
    if (permissionKeys.has(p.key)) fail(`permissions[${i}].key`, `"${p.key}" is declared twice`)
    permissionKeys.add(p.key)
    if (!isLabel(p.label)) fail(`permissions[${i}].label`, 'must be { fr, en }')
    for (const role of p.defaults ?? []) {
      if (!BUILTIN_ROLES.includes(role)) {
        fail(`permissions[${i}].defaults`, `names an unknown built-in role "${role}"`)
      }
    }
  }
  for (const [i, entry] of (m.menu ?? []).entries()) {
    if (typeof entry?.key !== 'string') fail(`menu[${i}].key`, 'is required')
    if (!isLabel(entry.label)) fail(`menu[${i}].label`, 'must be { fr, en }')
    if (typeof entry.href !== 'string' || !entry.href.startsWith('/')) {
      fail(`menu[${i}].href`, 'must be a path starting with /')
    }
    if (typeof entry.permission !== 'string') fail(`menu[${i}].permission`, 'is required')
  }
  const widgetKeys = new Set<string>()
  for (const [i, w] of (m.widgets ?? []).entries()) {
    if (typeof w?.key !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(w.key)) {
      fail(`widgets[${i}].key`, 'is required (lower case letters, digits, - and _)')
    }
    if (widgetKeys.has(w.key)) fail(`widgets[${i}].key`, `"${w.key}" is declared twice`)
    widgetKeys.add(w.key)
    if (!isLabel(w.label)) fail(`widgets[${i}].label`, 'must be { fr, en }')
    if (typeof w.permission !== 'string') fail(`widgets[${i}].permission`, 'is required')
    if (!['kpi', 'chart', 'list'].includes(w.kind)) {
      fail(`widgets[${i}].kind`, 'must be "kpi", "chart" or "list"')
    }
    if (w.size !== undefined && ![1, 2, 3].includes(w.size)) {
      fail(`widgets[${i}].size`, 'must be 1, 2 or 3')
    }
    if (w.order !== undefined && !Number.isFinite(w.order)) {
      fail(`widgets[${i}].order`, 'must be a number')
    }
    if (typeof w.load !== 'function') {
      fail(`widgets[${i}].load`, "must be a function: () => import('./widgets/<name>.js')")
    }
  }
  const notificationKeys = new Set<string>()
  if (m.notifications !== undefined && !Array.isArray(m.notifications)) {
    fail('notifications', 'must be a list of { key, label, channels?, permission? }')
  }
  for (const [i, n] of (m.notifications ?? []).entries()) {
    if (typeof n?.key !== 'string' || !/^[a-z][a-z0-9_]*$/.test(n.key) || n.key.length > 60) {
      fail(`notifications[${i}].key`, 'is required (lower case letters, digits and _)')
    }
    if (notificationKeys.has(n.key)) {
      fail(`notifications[${i}].key`, `"${n.key}" is declared twice`)
    }
    notificationKeys.add(n.key)
    if (!isLabel(n.label)) fail(`notifications[${i}].label`, 'must be { fr, en }')
    if (n.channels !== undefined) {
      const channels = n.channels
      if (
        typeof channels !== 'object' ||
        channels === null ||
        Object.keys(channels).some((c) => !['inApp', 'email'].includes(c)) ||
        Object.values(channels).some((v) => typeof v !== 'boolean')
      ) {
        fail(`notifications[${i}].channels`, 'must be { inApp?: boolean, email?: boolean }')
      }
    }
    if (n.permission !== undefined && !permissionKeys.has(n.permission)) {
      fail(
        `notifications[${i}].permission`,
        `names "${n.permission}", which the manifest does not declare in "permissions"`
      )
    }
  }
  for (const [i, s] of (m.sequences ?? []).entries()) {
    if (typeof s?.key !== 'string') fail(`sequences[${i}].key`, 'is required')
    if (!['yearly', 'monthly', 'never'].includes(s.reset)) {
      fail(`sequences[${i}].reset`, 'must be "yearly", "monthly" or "never"')
    }
    if (s.format !== undefined) {
      if (typeof s.format !== 'string') fail(`sequences[${i}].format`, 'must be a string')
    } else {
      if (typeof s.prefix !== 'string') fail(`sequences[${i}].prefix`, 'must be a string')
      if (!Number.isInteger(s.padding) || s.padding < 1 || s.padding > 12) {
        fail(`sequences[${i}].padding`, 'must be an integer from 1 to 12')
      }
    }
    const format = s.format ?? legacyFormat(s.prefix, s.padding)
    const parsed = parseFormat(format, s.reset)
    if ('problem' in parsed) {
      fail(`sequences[${i}].format`, `"${format}" is refused: ${FORMAT_PROBLEMS[parsed.problem]}`)
    }
  }
  for (const [model, audited] of Object.entries((m.audited ?? {}) as Record<string, any>)) {
    if (!model.startsWith(`${m.name}.`)) {
      fail(`audited.${model}`, `must be named "${m.name}.<model>"`)
    }
    if (typeof audited?.readable !== 'function') {
      fail(`audited.${model}.readable`, 'must be a function (access, id) => Promise<boolean>')
    }
    if (audited.label !== undefined && !isLabel(audited.label)) {
      fail(`audited.${model}.label`, 'must be { fr, en }')
    }
    const sensitive = audited.sensitive
    if (
      sensitive !== undefined &&
      (typeof sensitive?.permission !== 'string' || !isStringArray(sensitive.fields))
    ) {
      fail(`audited.${model}.sensitive`, 'must be { permission, fields: [...] }')
    }
  }
  if (m.sensitive !== undefined && (typeof m.sensitive !== 'object' || m.sensitive === null)) {
    fail('sensitive', "must be { '<module>.<model>': { permission, fields: [...] } }")
  }
  for (const [model, rule] of Object.entries((m.sensitive ?? {}) as Record<string, any>)) {
    if (!model.startsWith(`${m.name}.`) || model.length === m.name.length + 1) {
      fail(`sensitive.${model}`, `must be named "${m.name}.<model>"`)
    }
    if (typeof rule?.permission !== 'string') {
      fail(`sensitive.${model}.permission`, 'is required')
    }
    if (!permissionKeys.has(rule.permission)) {
      fail(
        `sensitive.${model}.permission`,
        `names "${rule.permission}", which the manifest does not declare in "permissions"`
      )
    }
    if (
      !isStringArray(rule.fields) ||
      rule.fields.length === 0 ||
      rule.fields.some((field: string) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(field))
    ) {
      fail(`sensitive.${model}.fields`, 'must be a non-empty list of field names')
    }
    if (new Set(rule.fields).size !== rule.fields.length) {
      fail(`sensitive.${model}.fields`, 'names a field twice')
    }
  }
  if (m.workflows !== undefined && (typeof m.workflows !== 'object' || m.workflows === null)) {
    fail('workflows', "must be { '<module>.<model>': { label, table, permission, definition } }")
  }
  for (const [model, workflow] of Object.entries((m.workflows ?? {}) as Record<string, any>)) {
    if (!model.startsWith(`${m.name}.`) || model.length === m.name.length + 1) {
      fail(`workflows.${model}`, `must be named "${m.name}.<model>"`)
    }
    if (!isLabel(workflow?.label)) fail(`workflows.${model}.label`, 'must be { fr, en }')
    if (typeof workflow.table !== 'string' || !workflow.table) {
      fail(`workflows.${model}.table`, 'is required')
    }
    if (!permissionKeys.has(workflow.permission)) {
      fail(
        `workflows.${model}.permission`,
        `names "${workflow.permission}", which the manifest does not declare in "permissions"`
      )
    }
    const problems = validateDefinition(workflow.definition, {
      fields: workflow.fields ?? {},
      roles: new Set(BUILTIN_ROLES),
    })
    if (problems.length) {
      fail(`workflows.${model}.definition.${problems[0].field}`, problems[0].message.en)
    }
  }
  if (
    m.attachments !== undefined &&
    (typeof m.attachments !== 'object' || m.attachments === null)
  ) {
    fail('attachments', "must be { '<module>.<model>': { writePermission, ... } }")
  }
  for (const [model, rule] of Object.entries((m.attachments ?? {}) as Record<string, any>)) {
    const record = Array.isArray(m.records)
      ? m.records.find((r: any) => r?.model === model)
      : undefined
    if (!record) {
      fail(
        `attachments.${model}`,
        'must name one of the records the manifest declares in "records"'
      )
    }
    for (const key of ['permission', 'writePermission']) {
      const value = key === 'permission' ? (rule?.permission ?? record.permission) : rule?.[key]
      if (typeof value !== 'string' || !permissionKeys.has(value)) {
        fail(
          `attachments.${model}.${key}`,
          `names "${value}", which the manifest does not declare in "permissions"`
        )
      }
    }
    if (
      rule.maxBytes !== undefined &&
      (!Number.isInteger(rule.maxBytes) ||
        rule.maxBytes < 1 ||
        rule.maxBytes > MAX_ATTACHMENT_BYTES)
    ) {
      fail(`attachments.${model}.maxBytes`, `must be an integer from 1 to ${MAX_ATTACHMENT_BYTES}`)
    }
    if (rule.types !== undefined) {
      const unknown = isStringArray(rule.types)
        ? rule.types.find((type: string) => !(type in ATTACHMENT_TYPES))
        : 'not a list'
      if (unknown || rule.types.length === 0) {
        fail(
          `attachments.${model}.types`,
          `must be a non-empty list of ${Object.keys(ATTACHMENT_TYPES).join(', ')}`
        )
      }
    }
    if (rule.encrypt !== undefined && typeof rule.encrypt !== 'boolean') {
      fail(`attachments.${model}.encrypt`, 'must be true or false')
    }
  }
  validateImports(m, permissionKeys, fail)
  if (m.settings !== undefined) {
    const problem = settingsProblem(m.settings, permissionKeys, isLabel)
    if (problem) fail(problem[0], problem[1])
  }
  if (
    m.jobs !== undefined &&
    (typeof m.jobs !== 'object' || m.jobs === null || Array.isArray(m.jobs))
  ) {
    fail('jobs', "must be { <key>: () => import('./jobs/<name>.js') }")
  }
  for (const [key, load] of Object.entries((m.jobs ?? {}) as Record<string, unknown>)) {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) {
      fail(`jobs.${key}`, 'must be named with lower case letters, digits and _')
    }
    if (typeof load !== 'function') {
      fail(`jobs.${key}`, "must be a function: () => import('./jobs/<name>.js')")
    }
  }
  if (m.schedules !== undefined && !Array.isArray(m.schedules)) {
    fail('schedules', 'must be a list of { key, cron, job }')
  }
  const scheduleKeys = new Set<string>()
  for (const [i, s] of (m.schedules ?? []).entries()) {
    if (typeof s?.key !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(s.key)) {
      fail(`schedules[${i}].key`, 'is required (lower case letters, digits, - and _)')
    }
    if (scheduleKeys.has(s.key)) fail(`schedules[${i}].key`, `"${s.key}" is declared twice`)
    scheduleKeys.add(s.key)
    if (typeof s.job !== 'string' || !Object.hasOwn(m.jobs ?? {}, s.job)) {
      fail(`schedules[${i}].job`, `names "${s.job}", which the manifest does not declare in "jobs"`)
    }
    if (
      s.timezone !== undefined &&
      (typeof s.timezone !== 'string' || !IANAZone.isValidZone(s.timezone))
    ) {
      fail(`schedules[${i}].timezone`, 'must be a time zone such as Europe/Paris')
    }
    const problem =
      typeof s.cron === 'string' ? cronProblem(s.cron, s.timezone) : 'it is not a string'
    if (problem) fail(`schedules[${i}].cron`, `"${s.cron}" is refused: ${problem}`)
    if (
      s.payload !== undefined &&
      (typeof s.payload !== 'object' || s.payload === null || Array.isArray(s.payload))
    ) {
      fail(`schedules[${i}].payload`, 'must be an object')
    }
  }
  for (const key of [
    'routes',
    'seed',
    'demo',
    'install',
    'upgrade',
    'enable',
    'disable',
    'uninstall',
  ]) {
    if (m[key] !== undefined && typeof m[key] !== 'function') fail(key, 'must be a function')
  }
  return m as ModuleManifest
}

const IMPORT_FIELD_TYPES = [
  'text',
  'integer',
  'money',
  'decimal',
  'boolean',
  'date',
  'email',
  'enum',
  'list',
]

/** The manifest's `imports`: permissions it declares, typed fields, keys among the fields. */
function validateImports(
  m: Record<string, any>,
  permissionKeys: Set<string>,
  fail: (field: string, why: string) => never
) {
  if (m.imports === undefined) return
  if (typeof m.imports !== 'object' || m.imports === null) {
    fail('imports', "must be { '<module>.<name>': { label, permission, fields, load } }")
  }
  for (const [kind, d] of Object.entries(m.imports as Record<string, any>)) {
    if (!new RegExp(`^${m.name}\\.[a-z][a-z0-9_-]*$`).test(kind)) {
      fail(`imports.${kind}`, `must be named "${m.name}.<name>" (lower case)`)
    }
    if (!isLabel(d?.label)) fail(`imports.${kind}.label`, 'must be { fr, en }')
    for (const key of ['permission', 'createPermission', 'updatePermission']) {
      if (typeof d[key] !== 'string' || !permissionKeys.has(d[key])) {
        fail(
          `imports.${kind}.${key}`,
          `names "${d[key]}", which the manifest does not declare in "permissions"`
        )
      }
    }
    if (!Array.isArray(d.fields) || d.fields.length === 0) {
      fail(`imports.${kind}.fields`, 'must be a non-empty list of { key, label, type }')
    }
    const keys = new Set<string>()
    for (const [i, f] of d.fields.entries()) {
      if (typeof f?.key !== 'string' || !/^[A-Za-z][A-Za-z0-9_.]*$/.test(f.key)) {
        fail(`imports.${kind}.fields[${i}].key`, 'is required (letters, digits, _ and .)')
      }
      if (keys.has(f.key)) fail(`imports.${kind}.fields[${i}].key`, `"${f.key}" is declared twice`)
      keys.add(f.key)
      if (!isLabel(f.label)) fail(`imports.${kind}.fields[${i}].label`, 'must be { fr, en }')
      if (!IMPORT_FIELD_TYPES.includes(f.type)) {
        fail(`imports.${kind}.fields[${i}].type`, `must be one of ${IMPORT_FIELD_TYPES.join(', ')}`)
      }
      if (f.type === 'enum' && (f.options === undefined || typeof f.options !== 'object')) {
        fail(`imports.${kind}.fields[${i}].options`, 'must list the accepted values')
      }
    }
    for (const [i, key] of (d.keys ?? []).entries()) {
      if (!keys.has(key?.field)) {
        fail(`imports.${kind}.keys[${i}].field`, `names "${key?.field}", which is not a field`)
      }
    }
    if (typeof d.load !== 'function') {
      fail(`imports.${kind}.load`, "must be a function: () => import('./imports/<name>.js')")
    }
  }
}

/**
 * Orders manifests so that every module comes after the modules it depends on.
 * Refuses a missing dependency (naming both modules), a duplicate name and a
 * cycle (naming it).
 */
export function sortByDependencies(manifests: ModuleManifest[]): ModuleManifest[] {
  const byName = new Map<string, ModuleManifest>()
  for (const manifest of manifests) {
    if (byName.has(manifest.name)) {
      throw new ModuleError(`Module "${manifest.name}" is declared twice`)
    }
    byName.set(manifest.name, manifest)
  }
  for (const manifest of manifests) {
    for (const dep of manifest.depends ?? []) {
      if (!byName.has(dep)) {
        throw new ModuleError(
          `Module "${manifest.name}" depends on "${dep}", which is not installed (no modules/${dep}/module.ts)`
        )
      }
    }
  }

  const sorted: ModuleManifest[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, path: string[]) => {
    const seen = state.get(name)
    if (seen === 'done') return
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name]
      throw new ModuleError(`Module dependency cycle: ${cycle.join(' -> ')}`)
    }
    state.set(name, 'visiting')
    for (const dep of byName.get(name)!.depends ?? []) visit(dep, [...path, name])
    state.set(name, 'done')
    sorted.push(byName.get(name)!)
  }
  for (const name of [...byName.keys()].sort()) visit(name, [])
  return sorted
}
