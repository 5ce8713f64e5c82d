import type { HttpContext } from '@adonisjs/core/http'
import { resolveAccess } from '#kernel/security/access'
import { localeValidator, companyValidator } from '#validators/preferences'

export default class PreferencesController {
  /** The language switch: kept in the session, and on the account when signed in. */
  async locale({ request, session, response, auth }: HttpContext) {
    const { locale } = await request.validateUsing(localeValidator)
    session.put('locale', locale)
    const user = auth.user as { locale: string; save(): Promise<unknown> } | undefined
    if (user && user.locale !== locale) {
      user.locale = locale
      await user.save()
    }
    return response.redirect().back()
  }

  /** The company switcher: only companies the user is a member of. */
  async company({ request, session, response, auth }: HttpContext) {
    const { companyId } = await request.validateUsing(companyValidator)
    const user = auth.getUserOrFail() as any
    const access = await resolveAccess(user.id, companyId)
    if (!access) {
      return response.forbidden({ errors: [{ message: 'Not a member of this company' }] })
    }
    session.put('companyId', companyId)
    user.currentCompanyId = companyId
    await user.save()
    return response.redirect('/')
  }
}
