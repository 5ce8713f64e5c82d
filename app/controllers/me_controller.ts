import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { companiesOf, resolveAccess } from '#kernel/security/access'
import { companyValidator } from '#validators/preferences'

export default class MeController {
  async show({ auth, access }: HttpContext) {
    const user = auth.getUserOrFail() as any
    return {
      data: {
        id: user.id,
        email: user.email,
        fullName: user.fullName,
        company: access.companyId,
        role: access.role,
        permissions: access.toJSON().permissions,
        companies: await companiesOf(user.id),
      },
    }
  }

  /**
   * The company switcher of the pages: sets the company requests work in
   * when they send no X-Company-Id header. Only a company the user belongs to.
   */
  async company({ request, auth }: HttpContext) {
    const { companyId } = await request.validateUsing(companyValidator)
    const user = auth.getUserOrFail() as any
    if (!(await resolveAccess(user.id, companyId))) {
      throw new Exception('You are not a member of this company', {
        status: 403,
        code: 'E_COMPANY_FORBIDDEN',
      })
    }
    user.currentCompanyId = companyId
    await user.save()
    return { data: { company: companyId } }
  }
}
