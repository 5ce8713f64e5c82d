import type { HttpContext } from '@adonisjs/core/http'
import moduleAdmin, { ModuleRefusal } from '#kernel/modules/module_admin'
import { enableModuleValidator, uninstallModuleValidator } from '#validators/modules'

/** The module manager: admin page and /api/v1/admin/modules. */
export default class ModulesController {
  async index({ inertia, i18n, request }: HttpContext) {
    const modules = await moduleAdmin.list(i18n.locale)
    // `?uninstall=<name>` shows the dry run of uninstalling it, to confirm.
    const name = request.qs().uninstall
    let plan = null
    let planError = null
    if (typeof name === 'string' && name) {
      try {
        plan = await moduleAdmin.uninstallPlan(name)
      } catch (error) {
        if (!(error instanceof ModuleRefusal)) throw error
        planError = error.message
      }
    }
    return inertia.render('settings/modules', { modules, plan, planError })
  }

  async enable(ctx: HttpContext) {
    const { withDependencies } = await ctx.request.validateUsing(enableModuleValidator)
    return this.#page(ctx, async () => {
      const { enabled } = await moduleAdmin.enable(ctx.params.name, { withDependencies })
      return ctx.i18n.t('modules.enabled', { modules: enabled.join(', ') })
    })
  }

  async disable(ctx: HttpContext) {
    return this.#page(ctx, async () => {
      await moduleAdmin.disable(ctx.params.name)
      return ctx.i18n.t('modules.disabled', { name: ctx.params.name })
    })
  }

  async uninstall(ctx: HttpContext) {
    const { confirm } = await ctx.request.validateUsing(uninstallModuleValidator)
    if (!confirm) return ctx.response.redirect(`/settings/modules?uninstall=${ctx.params.name}`)
    return this.#page(ctx, async () => {
      await moduleAdmin.uninstall(ctx.params.name)
      return ctx.i18n.t('modules.uninstalled', { name: ctx.params.name })
    })
  }

  /** Runs a page action: a refusal comes back as the page's error message, never an error page. */
  async #page({ response, session }: HttpContext, action: () => Promise<string>) {
    try {
      session.flash('success', await action())
    } catch (error) {
      if (!(error instanceof ModuleRefusal)) throw error
      session.flash('error', error.message)
    }
    return response.redirect('/settings/modules')
  }

  async apiIndex({ i18n }: HttpContext) {
    return { data: await moduleAdmin.list(i18n.locale) }
  }

  async apiShow(ctx: HttpContext) {
    return this.#api(ctx, async () => ({
      data: await moduleAdmin.find(ctx.params.name, ctx.i18n.locale),
    }))
  }

  async apiEnable(ctx: HttpContext) {
    const { withDependencies } = await ctx.request.validateUsing(enableModuleValidator)
    return this.#api(ctx, async () => {
      const { enabled } = await moduleAdmin.enable(ctx.params.name, { withDependencies })
      return { data: await moduleAdmin.find(ctx.params.name, ctx.i18n.locale), meta: { enabled } }
    })
  }

  async apiDisable(ctx: HttpContext) {
    return this.#api(ctx, async () => {
      await moduleAdmin.disable(ctx.params.name)
      return { data: await moduleAdmin.find(ctx.params.name, ctx.i18n.locale) }
    })
  }

  async apiUninstallPlan(ctx: HttpContext) {
    return this.#api(ctx, async () => ({ data: await moduleAdmin.uninstallPlan(ctx.params.name) }))
  }

  async apiUninstall(ctx: HttpContext) {
    const { confirm } = await ctx.request.validateUsing(uninstallModuleValidator)
    return this.#api(ctx, async () => ({
      data: confirm
        ? await moduleAdmin.uninstall(ctx.params.name)
        : await moduleAdmin.uninstallPlan(ctx.params.name),
    }))
  }

  /** Runs an API action: a refusal is a 409 (404 for an unknown module) naming its modules. */
  async #api({ response }: HttpContext, action: () => Promise<unknown>) {
    try {
      return await action()
    } catch (error) {
      if (!(error instanceof ModuleRefusal)) throw error
      return response.status(error.status).send({
        errors: [{ code: error.code, message: error.message, modules: error.refusal.modules }],
      })
    }
  }
}
