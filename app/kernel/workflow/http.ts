import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { fire, visibleRecord, WorkflowError } from './engine.js'
import { fireValidator } from '#validators/workflows'

/**
 * Route handlers a module mounts to let users fire its model's transitions:
 * `POST /api/v1/<resource>/:id/transitions` with `{ "transition": "<key>" }`
 * (200 with the new state; 403 not allowed, 404 not in the user's scope, 409
 * wrong or changed state, 422 unknown transition or failed guard, with the
 * reason) and the same for pages, which go back with a flash message.
 */
export function transitionHandlers(model: string) {
  // Outside the user's scope, the record does not exist, whatever the body says.
  const visible = async (ctx: HttpContext) => {
    if (!(await visibleRecord(ctx.access, model, Number(ctx.params.id)))) {
      throw new Exception('Record not found', { status: 404, code: 'E_NOT_FOUND' })
    }
  }
  return {
    async api(ctx: HttpContext) {
      await visible(ctx)
      const { transition } = await ctx.request.validateUsing(fireValidator)
      try {
        const fired = await fire(ctx.access, model, Number(ctx.params.id), transition)
        return { data: fired }
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error
        return ctx.response.status(error.status).send({
          errors: [{ code: error.code, message: error.text(ctx.i18n.locale), field: 'transition' }],
        })
      }
    },

    async web(ctx: HttpContext) {
      await visible(ctx)
      const { transition } = await ctx.request.validateUsing(fireValidator)
      try {
        const fired = await fire(ctx.access, model, Number(ctx.params.id), transition)
        const label = ctx.i18n.locale === 'en' ? fired.label.en : fired.label.fr
        ctx.session.flash('success', ctx.i18n.t('workflows.fired', { transition: label }))
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error
        // Outside the scope is a 404 like every other read, not allowed a 403
        // page; a wrong state or a failed guard goes back with the reason.
        if (error.status === 404 || error.status === 403) throw error
        ctx.session.flash('error', error.text(ctx.i18n.locale))
      }
      return ctx.response.redirect().back()
    },
  }
}
