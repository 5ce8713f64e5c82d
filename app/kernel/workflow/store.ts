import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import registry from '#kernel/modules/registry'
import { dbNow } from '#kernel/db/timestamp'
import { record as audit } from '#kernel/audit/audit'
import { fieldError } from '#kernel/http/field_error'
import type { WorkflowDeclaration, WorkflowDefinition } from './types.js'
import { validateDefinition, type DefinitionProblem } from './validate.js'
import { errors } from '@vinejs/vine'

export type DeclaredWorkflow = WorkflowDeclaration & { model: string; module: string }

/** Every workflow-enabled model the modules on disk declare. */
export function declaredWorkflows(): DeclaredWorkflow[] {
  return registry
    .all()
    .flatMap((manifest) =>
      Object.entries((manifest.workflows ?? {}) as Record<string, WorkflowDeclaration>).map(
        ([model, declaration]) => ({ ...declaration, model, module: manifest.name })
      )
    )
}

export function declaredWorkflow(model: string): DeclaredWorkflow | null {
  return declaredWorkflows().find((w) => w.model === model) ?? null
}

/** Published versions never change: they are cached for the life of the process. */
const published = new Map<string, WorkflowDefinition>()

function parse(text: string): WorkflowDefinition {
  return JSON.parse(text) as WorkflowDefinition
}

/**
 * The version new records of `model` start under: the latest published one.
 * The module's default is published as version 1 the first time it is asked
 * for (two processes asking at once insert it once: the unique index decides).
 */
export async function currentVersion(
  model: string,
  client: QueryClientContract = db.connection()
): Promise<number> {
  const row = await client
    .from('workflow_versions')
    .where('model', model)
    .max('version as v')
    .first()
  if (row?.v) return Number(row.v)
  const declaration = declaredWorkflow(model)
  if (!declaration) throw new Error(`No workflow is declared for ${model}`)
  await client
    .table('workflow_versions')
    .insert({
      model,
      version: 1,
      definition: JSON.stringify(declaration.definition),
      published_at: dbNow(client),
      published_by: null,
    })
    .onConflict(['model', 'version'])
    .ignore()
  return 1
}

/** The definition of one published version; null when there is none. */
export async function definitionOf(
  model: string,
  version: number,
  client: QueryClientContract = db.connection()
): Promise<WorkflowDefinition | null> {
  const key = `${model}@${version}`
  const hit = published.get(key)
  if (hit) return hit
  if (version === 1) await currentVersion(model, client)
  const row = await client
    .from('workflow_versions')
    .where({ model, version })
    .select('definition')
    .first()
  if (!row) return null
  const definition = parse(row.definition)
  published.set(key, definition)
  return definition
}

/** The published versions of a model, newest first. */
export async function versionsOf(model: string) {
  await currentVersion(model)
  const rows = await db
    .from('workflow_versions')
    .leftJoin('users', 'users.id', 'workflow_versions.published_by')
    .where('workflow_versions.model', model)
    .orderBy('workflow_versions.version', 'desc')
    .select(
      'workflow_versions.version',
      'workflow_versions.published_at',
      'users.full_name as published_by'
    )
  return rows.map((row) => ({
    version: Number(row.version),
    publishedAt: new Date(row.published_at).toISOString(),
    publishedBy: (row.published_by as string | null) ?? null,
  }))
}

/** The model's draft, if an admin started one. */
export async function draftOf(model: string) {
  const row = await db.from('workflow_drafts').where('model', model).first()
  if (!row) return null
  return {
    definition: parse(row.definition),
    basedOn: Number(row.based_on),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** What a definition may refer to: the declared fields, the roles and permissions that exist. */
export async function definitionContext(
  declaration: DeclaredWorkflow,
  client: QueryClientContract = db.connection()
) {
  const roles = await client.from('roles').select('key')
  return {
    fields: declaration.fields ?? {},
    roles: new Set(roles.map((r) => r.key as string)),
    permissions: new Set(registry.permissions().map((p) => p.key)),
  }
}

/** A definition's problems as a validation error, in the request's language. */
export function problemsError(problems: DefinitionProblem[], locale: string) {
  const lang = locale === 'en' ? 'en' : 'fr'
  return new errors.E_VALIDATION_ERROR(
    problems.map((p) => ({
      field: `definition.${p.field}`,
      rule: p.rule,
      message: p.message[lang],
    }))
  )
}

/** Saves an admin's draft after validating it; refuses (422) a broken one. */
export async function saveDraft(
  declaration: DeclaredWorkflow,
  definition: unknown,
  userId: number,
  locale: string
) {
  const problems = validateDefinition(definition, await definitionContext(declaration))
  if (problems.length) throw problemsError(problems, locale)
  await db.transaction(async (trx) => {
    const basedOn = await currentVersion(declaration.model, trx)
    const values = {
      definition: JSON.stringify(definition),
      based_on: basedOn,
      updated_by: userId,
      updated_at: dbNow(trx),
    }
    const existing = await trx
      .from('workflow_drafts')
      .where('model', declaration.model)
      .forUpdate()
      .first()
    if (existing) await trx.from('workflow_drafts').where('model', declaration.model).update(values)
    else await trx.table('workflow_drafts').insert({ model: declaration.model, ...values })
  })
}

/** Throws the draft away. */
export async function discardDraft(model: string) {
  await db.from('workflow_drafts').where('model', model).delete()
}

/**
 * Publishes the draft as the next version: records created from now on run
 * under it; records already under way keep theirs. One transaction, audited.
 */
export async function publishDraft(declaration: DeclaredWorkflow, userId: number, locale: string) {
  return db.transaction(async (trx) => {
    const draft = await trx
      .from('workflow_drafts')
      .where('model', declaration.model)
      .forUpdate()
      .first()
    if (!draft) throw fieldError('definition', 'There is no draft to publish', 'no_draft')
    const definition = parse(draft.definition)
    // Roles may have been deleted since the draft was saved.
    const problems = validateDefinition(definition, await definitionContext(declaration, trx))
    if (problems.length) throw problemsError(problems, locale)
    const current = await currentVersion(declaration.model, trx)
    const version = current + 1
    await trx.table('workflow_versions').insert({
      model: declaration.model,
      version,
      definition: draft.definition,
      published_at: dbNow(trx),
      published_by: userId,
    })
    await trx.from('workflow_drafts').where('model', declaration.model).delete()
    await audit(trx, {
      event: 'workflow.published',
      model: declaration.model,
      recordId: null,
      meta: { version, previous: current },
    })
    return version
  })
}
