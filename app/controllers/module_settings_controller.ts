import type { HttpContext } from '@adonisjs/core/http'
import registry from '#kernel/modules/registry'
import { fieldError } from '#kernel/http/field_error'
import {
  describeSettings,
  moduleSettings,
  requireSettings,
  updateModuleSettings,
  validatorFor,
} from '#kernel/settings/settings'
import type { SettingsDeclaration } from '#kernel/settings/define'

type Locale = 'fr' | 'en'

/**
 * The modules' per-company settings (manifest `settings`): one page and one
 * API for every module. Each call checks the module is enabled and that the
 * user holds the permission the module names for its settings.
 */
export default class ModuleSettingsController {
  async show({ inertia, access, params, i18n }: HttpContext) {
    const declaration = await requireSettings(access, params.name)
    const locale = i18n.locale as Locale
    const manifest = registry.get(params.name)
    return inertia.render('settings/module_settings', {
      module: {
        name: manifest.name,
        label: manifest.label[locale],
        description: manifest.description[locale],
      },
      fields: describeSettings(declaration, locale),
      values: await moduleSettings(params.name, access.companyId),
    })
  }

  async update(ctx: HttpContext) {
    const { access, params, response, session, i18n } = ctx
    const declaration = await requireSettings(access, params.name)
    await this.#save(ctx, declaration)
    session.flash('success', i18n.t('module_settings.saved'))
    return response.redirect(`/settings/modules/${params.name}/settings`)
  }

  async apiShow({ access, params, i18n }: HttpContext) {
    const declaration = await requireSettings(access, params.name)
    return {
      data: await moduleSettings(params.name, access.companyId),
      meta: { fields: describeSettings(declaration, i18n.locale as Locale) },
    }
  }

  async apiUpdate(ctx: HttpContext) {
    const declaration = await requireSettings(ctx.access, ctx.params.name)
    return { data: await this.#save(ctx, declaration) }
  }

  /** Validates the body against the module's fields (an unknown name is a 422, not ignored). */
  async #save(
    { request, access, auth, params, i18n }: HttpContext,
    declaration: SettingsDeclaration
  ) {
    const body = request.body()
    const unknown = Object.keys(body).find((key) => !(key in declaration.fields))
    if (unknown) throw fieldError(unknown, i18n.t('module_settings.unknown'), 'unknown_setting')
    const changes = await request.validateUsing(validatorFor(params.name, declaration))
    return updateModuleSettings(params.name, access.companyId, changes, {
      userId: (auth.user as { id: number } | undefined)?.id ?? null,
    })
  }
}
