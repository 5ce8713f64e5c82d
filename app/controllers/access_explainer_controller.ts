import type { HttpContext } from '@adonisjs/core/http'
import { explain } from '#kernel/security/explain'
import { permissionGroups, recordDeclarations } from '#kernel/security/catalog'
import { companyMembers, isCompanyMember } from '#kernel/security/directory'
import { explainValidator } from '#validators/roles'
import { fieldError } from '#kernel/http/field_error'

/** "Why can this user see (or not) this record?" — page and API. */
export default class AccessExplainerController {
  async #answer(
    ctx: HttpContext,
    input: { userId: number; permission?: string; model?: string; id?: number }
  ) {
    if (!(await isCompanyMember(ctx.access.companyId, input.userId))) {
      throw fieldError('userId', 'Unknown user in this company', 'exists')
    }
    if (input.model && !recordDeclarations().some((r) => r.model === input.model)) {
      throw fieldError('model', 'Unknown kind of record', 'model')
    }
    if (!input.permission && !input.model) {
      throw fieldError('permission', 'Give a permission or a kind of record', 'required')
    }
    return explain({ ...input, companyId: ctx.access.companyId })
  }

  async show(ctx: HttpContext) {
    const { request, inertia, i18n } = ctx
    const lang = i18n.locale === 'en' ? 'en' : 'fr'
    let query: { userId?: number; permission?: string; model?: string; id?: number } = {}
    let result = null
    let error: string | null = null
    if (request.input('userId')) {
      try {
        query = await explainValidator.validate(request.qs())
        result = await this.#answer(ctx, query as Parameters<typeof explain>[0])
      } catch (failure) {
        const messages = (failure as { messages?: { message: string }[] }).messages
        if (!messages) throw failure
        error = messages.map((m) => m.message).join(' ')
      }
    }
    return inertia.render('settings/access_explainer', {
      members: await companyMembers(ctx.access.companyId),
      groups: permissionGroups(lang),
      models: recordDeclarations().map((r) => ({ model: r.model, permission: r.permission })),
      query: {
        userId: query.userId ?? null,
        permission: query.permission ?? null,
        model: query.model ?? null,
        id: query.id ?? null,
      },
      result,
      error,
    })
  }

  async api(ctx: HttpContext) {
    const input = await explainValidator.validate(ctx.request.qs())
    return { data: await this.#answer(ctx, input) }
  }
}
