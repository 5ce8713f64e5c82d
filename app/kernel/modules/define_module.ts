import type { HttpRouterService } from '@adonisjs/core/types'
import type { TransactionClientContract, QueryClientContract } from '@adonisjs/lucid/types/database'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Access } from '../security/access.js'
import type { WorkflowDeclaration } from '../workflow/types.js'
import type { ImportDeclaration } from '../imports/types.js'
import type { ModuleJob } from '../jobs/module_job.js'
import type { SettingsDeclaration } from '../settings/define.js'

/** Built-in roles every site has. Modules grant their permissions to them by default. */
export const BUILTIN_ROLES = ['admin', 'manager', 'staff', 'technician', 'client'] as const
export type BuiltinRole = (typeof BUILTIN_ROLES)[number]

/** A text shown to users, in French (default) and English. */
export type Label = { fr: string; en: string }

export interface PermissionDeclaration {
  /** `module.resource.action`, the module part being the module's name */
  key: string
  label: Label
  /** Built-in roles granted this permission when the module is enabled (admin always has all) */
  defaults?: BuiltinRole[]
  /**
   * Whether a grant of this permission carries a record scope (all, team,
   * own). By default every module permission does except `.create` ones,
   * which act on no existing record; kernel permissions never do.
   */
  scoped?: boolean
}

/**
 * A kind of record a module keeps, and how it relates to a company, an owner
 * and a team. Record scopes filter on these columns (see Access.scope); the
 * access explainer reads them to say why a user sees a record or not.
 */
export interface RecordDeclaration {
  /** `<module>.<model>`, e.g. `contacts.contact` */
  model: string
  /** The table the records live in */
  table: string
  /** The permission that reads them (its scope decides who sees what) */
  permission: string
  /** Column names, when they are not company_id, owner_id and team_id */
  columns?: { company?: string; owner?: string; team?: string }
  /** A column that names a record to people (e.g. `name`) */
  title?: string
}

/**
 * Field rules: fields of one kind of record that only users granted
 * `permission` may see or change (salaries, cost prices, credit limits).
 * Keyed `<module>.<model>` in the manifest; `permission` is one the manifest
 * declares, so admins grant it in the roles matrix like any other.
 *
 * Field names are the record's attribute names as pages and the API show
 * them (`creditLimitCents`); the audit trail masks them under that name and
 * under their column name (`credit_limit_cents`). See
 * `app/kernel/security/field_rules.ts` for the helpers that apply them.
 */
export interface SensitiveFields {
  /** The permission that shows these fields and allows writing them */
  permission: string
  fields: string[]
}

/**
 * Files attached to one kind of record (an opt-in, keyed `<module>.<model>`
 * in the manifest; the model must be one of the manifest's `records`). The
 * kernel stores them, checks their type on their content and serves them
 * only through the record's permission and scope (see app/kernel/attachments).
 */
export interface AttachmentDeclaration {
  /** The permission that lists and downloads them; the record's read permission by default */
  permission?: string
  /** The permission that adds and removes them (e.g. the record's update permission) */
  writePermission: string
  /** The largest file accepted, in bytes (20 MB by default) */
  maxBytes?: number
  /**
   * The accepted types, as detected from the content (see ATTACHMENT_TYPES):
   * documents and images by default
   */
  types?: string[]
  /** Encrypt every file of this model at rest (AES-256-GCM); an upload may also ask for it */
  encrypt?: boolean
}

export interface MenuEntry {
  key: string
  label: Label
  href: string
  icon?: string
  /** Permission needed to see the entry */
  permission: string
  order?: number
}

/** What a widget's `load` receives: the user's access, their language, a client. */
export interface WidgetContext {
  /** Read only through `access.scope(query, permission)`, so record scopes apply */
  access: Access
  locale: 'fr' | 'en'
  client?: QueryClientContract
}

/** The data a widget's `load` answers, by kind. */
export type WidgetData =
  | { value: number | string; hint?: string }
  | { labels: string[]; series: { label: string; values: number[] }[]; type?: 'bar' | 'line' }
  | { items: { title: string; subtitle?: string; href?: string }[] }

/**
 * A tile of the home dashboard. The kernel lists it to users holding
 * `permission` (in an enabled module) and calls `load` when the page asks
 * for its data, each widget on its own request.
 */
export interface WidgetDeclaration {
  key: string
  label: Label
  permission: string
  /** A number (kpi), a chart or a short list */
  kind: 'kpi' | 'chart' | 'list'
  /** Columns taken in the dashboard grid (1 by default, 3 at most) */
  size?: 1 | 2 | 3
  /** Place on the dashboard, lower first (100 by default) */
  order?: number
  /** Lazily imported, like routes: `() => import('./widgets/active_clients.js')` */
  load: () => Promise<{ default: (ctx: WidgetContext) => Promise<WidgetData> }>
}

export interface SequenceDeclaration {
  /** Series key, unique per company (e.g. `contacts.customer`) */
  key: string
  label: Label
  /**
   * The number's format: fixed text and the tokens `{YYYY}`, `{YY}`, `{MM}`
   * and one `{seq:N}` (the number, N digits), e.g. `FA-{YYYY}-{seq:5}`.
   * Without it, the format is `prefix` followed by `{seq:padding}`.
   */
  format?: string
  /** Text before the number, may contain `{YYYY}` (when there is no `format`) */
  prefix?: string
  /** Number of digits, zero-padded (when there is no `format`) */
  padding?: number
  /** When the number starts again from 1 */
  reset: 'yearly' | 'monthly' | 'never'
}

/**
 * A kind of notification a module sends (declared in the manifest's
 * `notifications`; its full key is `<module>.<key>`). Each user chooses, per
 * type, whether it reaches them in the app and by email; `channels` are the
 * defaults until they do.
 */
export interface NotificationTypeDeclaration {
  /** Lower case letters, digits and `_`, unique in the module (e.g. `contact_assigned`) */
  key: string
  label: Label
  /** Default channels: in the app on and email off unless said otherwise */
  channels?: { inApp?: boolean; email?: boolean }
  /**
   * A permission recipients must hold in the notification's company (e.g.
   * the record's read permission); members without it are skipped
   */
  permission?: string
}

/**
 * A job class a module provides, loaded lazily like routes:
 * `() => import('./jobs/send_reminders.js')`, whose default export extends
 * ModuleJob (`#kernel/jobs/module_job`). Keyed in the manifest; the queue
 * knows it as `<module>.<key>`.
 */
export type JobLoader = () => Promise<{ default: abstract new (...args: any[]) => ModuleJob<any> }>

/**
 * A periodic run of one of the module's jobs. Each tick runs once across all
 * app instances and is logged (schedule_runs); nothing runs while the module
 * is disabled.
 */
export interface ScheduleDeclaration {
  /** Unique in the module; runs are logged as `<module>.<key>` */
  key: string
  /**
   * A cron expression: five fields (minute hour day month weekday), or six
   * with seconds first (`*\/10 * * * * *`: every ten seconds)
   */
  cron: string
  /** A key of the manifest's `jobs` */
  job: string
  /** What the job receives as its payload ({} by default) */
  payload?: Record<string, unknown>
  /** The time zone the expression is read in (UTC by default), e.g. Europe/Paris */
  timezone?: string
}

export interface ModuleContext {
  app: ApplicationService
  /** The client to write with: a transaction where the kernel opened one */
  client: QueryClientContract | TransactionClientContract
  companyId?: number
}

export interface ListenerDeclaration {
  event: string
  handle: (payload: any) => unknown | Promise<unknown>
}

/**
 * A module may object to the deletion of a record it references: it returns
 * how many of its records point at it. The owner of the record then archives
 * it instead of deleting it, so nothing is orphaned.
 */
export interface ReferenceCheck {
  /** The referenced model, as `<module>.<model>` (e.g. `contacts.contact`) */
  model: string
  count: (id: number, client: QueryClientContract) => Promise<number>
}

/**
 * A model whose changes the kernel's audit trail shows (History tab, admin
 * audit page), keyed `<module>.<model>` in the manifest.
 */
export interface AuditedModel {
  /** What one record is called, for the admin audit page (e.g. Contact) */
  label?: Label
  /**
   * Whether this user may read the record — the module's own scoped find —
   * so a record's history is shown exactly to those who may see the record.
   */
  readable: (access: Access, id: string) => Promise<boolean>
  /**
   * Fields whose values, in the history, only users granted `permission`
   * see; others see that the field changed, not its values. The manifest's
   * `sensitive` rules are masked in the history too: this is for fields that
   * appear in the history only.
   */
  sensitive?: { permission: string; fields: string[] }
}

export interface ModuleRoutes {
  /** Page routes, mounted under `/<module>` with the web middleware stack */
  web?: (router: HttpRouterService) => void
  /** JSON API routes, mounted under `/api/v1/<module>` with the API stack */
  api?: (router: HttpRouterService) => void
}

export interface ModuleManifest {
  name: string
  version: string
  label: Label
  description: Label
  icon?: string
  depends?: string[]
  integrates?: string[]
  permissions?: PermissionDeclaration[]
  menu?: MenuEntry[]
  widgets?: WidgetDeclaration[]
  sequences?: SequenceDeclaration[]
  /** Models that accept admin-defined custom fields (`<module>.<model>`) */
  customizable?: string[]
  /**
   * Workflow-enabled models, keyed `<module>.<model>`: where their state
   * lives, the fields guards may test, and the default definition that
   * admins then edit (see app/kernel/workflow/types.ts)
   */
  workflows?: Record<string, WorkflowDeclaration>
  listeners?: ListenerDeclaration[]
  /** Kinds of notifications the module sends (see NotificationTypeDeclaration) */
  notifications?: NotificationTypeDeclaration[]
  /** Job classes the module provides, keyed (see JobLoader) */
  jobs?: Record<string, JobLoader>
  /** Periodic runs of those jobs (see ScheduleDeclaration) */
  schedules?: ScheduleDeclaration[]
  references?: ReferenceCheck[]
  /** Models with a history, keyed `<module>.<model>` (see AuditedModel) */
  audited?: Record<string, AuditedModel>
  /** The module's records that record scopes apply to */
  records?: RecordDeclaration[]
  /** Records that accept attached files, keyed `<module>.<model>` (see AttachmentDeclaration) */
  attachments?: Record<string, AttachmentDeclaration>
  /** Field rules: fields only holders of a permission see or change (see SensitiveFields) */
  sensitive?: Record<string, SensitiveFields>
  /**
   * CSV / XLSX imports the module offers, keyed `<module>.<name>` (see
   * ImportDeclaration in app/kernel/imports/types.ts)
   */
  imports?: Record<string, ImportDeclaration>
  /**
   * Per-company settings, each field declared with the `setting.*` builders
   * (`#kernel/settings/define`): the kernel validates writes, keeps the
   * values and gives the module a settings page and API (see SettingsDeclaration)
   */
  settings?: SettingsDeclaration
  /** Routes, loaded lazily so the manifest stays cheap to read */
  routes?: () => Promise<{ default: ModuleRoutes }>
  /** Required data, run on enable for every company (idempotent) */
  seed?: (ctx: ModuleContext) => Promise<void>
  /** Demo data, run by the demo seeder for the demo company */
  demo?: (ctx: ModuleContext & { companyId: number; userId: number }) => Promise<void>
  install?: (ctx: ModuleContext) => Promise<void>
  upgrade?: (ctx: ModuleContext & { from: string }) => Promise<void>
  enable?: (ctx: ModuleContext) => Promise<void>
  disable?: (ctx: ModuleContext) => Promise<void>
  uninstall?: (ctx: ModuleContext) => Promise<void>
}

/** Declares a module. The manifest is validated when the kernel boots. */
export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  return manifest
}

/** Declares a module's routes (see `ModuleRoutes`). */
export function defineRoutes(routes: ModuleRoutes): ModuleRoutes {
  return routes
}
