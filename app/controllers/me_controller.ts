import type { HttpContext } from '@adonisjs/core/http'
import { companiesOf } from '#kernel/security/access'

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
}
