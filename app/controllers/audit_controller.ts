import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { auditFiltersValidator, historyValidator } from '#validators/audit'
import { listAudit, type AuditFilters } from '#kernel/audit/reader'
import { auditedModel, auditedModelOptions } from '#kernel/audit/models'
import { AUDIT_EVENTS } from '#kernel/audit/audit'
import { companyMembers } from '#kernel/security/directory'

function notFound() {
  return new Exception('Record not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** The audit trail: a record's history (pages and API) and the admin audit page and API. */
export default class AuditController {
  /**
   * A record's history, for whoever may read the record: the owning module
   * answers through its `readable` check (its scoped find), so a record out
   * of the reader's scope is a 404 — never its history.
   */
  async #history(ctx: HttpContext) {
    const { model, id } = ctx.params as { model: string; id: string }
    const paging = await historyValidator.validate(ctx.request.qs())
    const declaration = await auditedModel(model)
    if (!declaration || !(await declaration.readable(ctx.access, id))) throw notFound()
    return listAudit(ctx.access, { ...paging, model, recordId: id })
  }

  async history(ctx: HttpContext) {
    const page = await this.#history(ctx)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async #filters(ctx: HttpContext): Promise<AuditFilters> {
    return auditFiltersValidator.validate(ctx.request.qs())
  }

  async index(ctx: HttpContext) {
    let filters: AuditFilters
    try {
      filters = await this.#filters(ctx)
    } catch {
      // A hand-edited query string falls back to the unfiltered list, not an error page.
      filters = {}
    }
    const [page, members] = await Promise.all([
      listAudit(ctx.access, filters, { siteEvents: true }),
      companyMembers(ctx.access.companyId),
    ])
    return ctx.inertia.render('settings/audit', {
      entries: page.data,
      nextCursor: page.nextCursor,
      filters: {
        model: filters.model ?? '',
        recordId: filters.recordId ?? '',
        actorId: filters.actorId ?? null,
        event: filters.event ?? '',
        from: filters.from ?? '',
        to: filters.to ?? '',
        cursor: filters.cursor ?? null,
      },
      options: {
        actors: members,
        events: [...AUDIT_EVENTS],
        models: [
          { value: 'kernel.user', label: ctx.i18n.t('audit.model.kernel.user') },
          { value: 'kernel.role', label: ctx.i18n.t('audit.model.kernel.role') },
          { value: 'kernel.token', label: ctx.i18n.t('audit.model.kernel.token') },
          ...auditedModelOptions(ctx.i18n.locale),
        ],
      },
    })
  }

  async apiIndex(ctx: HttpContext) {
    const page = await listAudit(ctx.access, await this.#filters(ctx), { siteEvents: true })
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }
}
