import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import moduleManager from '#kernel/modules/module_manager'
import { Access, type RecordScope } from '#kernel/security/access'
import {
  currentVersion,
  declaredWorkflow,
  declaredWorkflows,
  definitionOf,
  discardDraft,
  draftOf,
  publishDraft,
  saveDraft,
  versionsOf,
} from '#kernel/workflow/store'
import { judge } from '#kernel/workflow/engine'
import { fieldError } from '#kernel/http/field_error'
import { draftValidator, tryValidator } from '#validators/workflows'

/** A workflow of an enabled module, else 404. */
async function declarationOr404(model: string) {
  const declaration = declaredWorkflow(model)
  if (!declaration || !(await moduleManager.enabledSet()).has(declaration.module)) {
    throw new Exception(`No workflow for ${model}`, { status: 404, code: 'E_NOT_FOUND' })
  }
  return declaration
}

/** The admin's levers on workflows: read, draft, try, publish (pages and API). */
export default class WorkflowsController {
  /** The designer's list: every workflow-enabled model. */
  async index({ inertia }: HttpContext) {
    return inertia.render('settings/workflows', (await this.apiIndex()) as any)
  }

  /** The designer: edit the draft, see it as a diagram, try it, publish it. */
  async show(ctx: HttpContext) {
    const { data } = await this.apiShow(ctx)
    const roles = await db.from('roles').orderBy('id').select('key', 'name')
    return ctx.inertia.render('settings/workflow', {
      workflow: data,
      roles: roles.map((r) => ({ key: r.key as string, name: r.name as string })),
      tried: (ctx.session.flashMessages.get('workflowTry') as unknown) ?? null,
    } as any)
  }

  async saveDraft(ctx: HttpContext) {
    await this.apiSaveDraft(ctx)
    ctx.session.flash('success', ctx.i18n.t('workflows.draft_saved'))
    return ctx.response.redirect().back()
  }

  async discardDraft(ctx: HttpContext) {
    await this.apiDiscardDraft(ctx)
    ctx.session.flash('success', ctx.i18n.t('workflows.draft_discarded'))
    return ctx.response.redirect().back()
  }

  async publish(ctx: HttpContext) {
    const declaration = await declarationOr404(ctx.params.model)
    const version = await publishDraft(declaration, ctx.auth.user!.id, ctx.i18n.locale)
    ctx.session.flash('success', ctx.i18n.t('workflows.published', { version }))
    return ctx.response.redirect().back()
  }

  async try(ctx: HttpContext) {
    const { data } = await this.apiTry(ctx)
    ctx.session.flash('workflowTry', {
      ...data,
      input: ctx.request.only(['transition', 'state', 'role', 'owner']),
    })
    return ctx.response.redirect().back()
  }

  async apiIndex() {
    const data = []
    const enabled = await moduleManager.enabledSet()
    for (const w of declaredWorkflows().filter((d) => enabled.has(d.module))) {
      data.push({
        model: w.model,
        module: w.module,
        label: w.label,
        currentVersion: await currentVersion(w.model),
        hasDraft: (await draftOf(w.model)) !== null,
      })
    }
    return { data }
  }

  async apiShow({ params }: HttpContext) {
    const declaration = await declarationOr404(params.model)
    const version = await currentVersion(declaration.model)
    return {
      data: {
        model: declaration.model,
        module: declaration.module,
        label: declaration.label,
        fields: declaration.fields ?? {},
        current: { version, definition: await definitionOf(declaration.model, version) },
        versions: await versionsOf(declaration.model),
        draft: await draftOf(declaration.model),
      },
    }
  }

  async apiSaveDraft({ params, request, auth, i18n }: HttpContext) {
    const declaration = await declarationOr404(params.model)
    const { definition } = await request.validateUsing(draftValidator)
    await saveDraft(declaration, definition, auth.user!.id, i18n.locale)
    return { data: await draftOf(declaration.model) }
  }

  async apiDiscardDraft({ params, response }: HttpContext) {
    const declaration = await declarationOr404(params.model)
    await discardDraft(declaration.model)
    return response.noContent()
  }

  async apiPublish({ params, auth, i18n, response }: HttpContext) {
    const declaration = await declarationOr404(params.model)
    const version = await publishDraft(declaration, auth.user!.id, i18n.locale)
    return response.created({ data: { model: declaration.model, version } })
  }

  /**
   * Tries a transition on a sample record as a member of `role` would fire
   * it, against the draft (default when there is one) or the current version.
   */
  async apiTry({ params, request, access, i18n }: HttpContext) {
    const declaration = await declarationOr404(params.model)
    const input = await request.validateUsing(tryValidator)
    const draft = await draftOf(declaration.model)
    const of = input.of ?? (draft ? 'draft' : 'current')
    const definition =
      of === 'draft'
        ? draft?.definition
        : await definitionOf(declaration.model, await currentVersion(declaration.model))
    if (!definition) throw fieldError('of', 'There is no draft', 'no_draft')
    if (!definition.states.some((s) => s.key === input.state)) {
      throw fieldError('state', 'Unknown state', 'unknown_state')
    }
    const role = await db.from('roles').where('key', input.role).select('id', 'key').first()
    if (!role) throw fieldError('role', 'Unknown role', 'unknown_role')
    const grants = await db.from('role_permissions').where('role_id', role.id)
    const sample = new Access(
      -1,
      access.companyId,
      role.key,
      new Map(grants.map((g) => [g.permission as string, (g.scope ?? 'all') as RecordScope])),
      []
    )
    const verdict = judge(
      sample,
      declaration,
      definition,
      { state: input.state, ownerId: input.owner ? -1 : null, values: input.values ?? {} },
      input.transition
    )
    const lang = i18n.locale === 'en' ? 'en' : 'fr'
    return {
      data: verdict.allowed
        ? { of, allowed: true, to: verdict.transition.to }
        : { of, allowed: false, code: verdict.code, reason: verdict.reason[lang] },
    }
  }
}
