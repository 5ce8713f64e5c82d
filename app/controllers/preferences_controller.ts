import type { HttpContext } from '@adonisjs/core/http'
import { resolveAccess } from '#kernel/security/access'
import { localeValidator, companyValidator } from '#validators/preferences'

export default class PreferencesController {
  async locale({ request, session, response }: HttpContext) {
    const { locale } = await request.validateUsing(localeValidator)
    session.put('locale', locale)
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
