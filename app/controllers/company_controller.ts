import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import Company from '#models/company'
import { updateCompanyValidator, logoValidator } from '#validators/company'
import { companyToJson, storeLogo, LOGO_TYPES } from '#services/company_profile'
import { forgetAccess } from '#kernel/security/access'
import { renderLetterheadSample } from '#kernel/pdf/sample'

/** The current company's profile: page and API. */
export default class CompanyController {
  async show({ inertia, access }: HttpContext) {
    const company = await Company.findOrFail(access.companyId)
    return inertia.render('settings/company', {
      company: companyToJson(company),
      canManage: access.can('kernel.company.manage'),
      timezones: Intl.supportedValuesOf('timeZone'),
    })
  }

  async update({ request, access, response, session, i18n }: HttpContext) {
    const data = await request.validateUsing(updateCompanyValidator)
    const company = await Company.findOrFail(access.companyId)
    await company.merge(data).save()
    forgetAccess()
    session.flash('success', i18n.t('settings.company_saved'))
    return response.redirect('/settings/company')
  }

  async uploadLogo({ request, access, response, session, i18n }: HttpContext) {
    const { logo } = await request.validateUsing(logoValidator)
    await storeLogo(await Company.findOrFail(access.companyId), logo)
    session.flash('success', i18n.t('settings.logo_saved'))
    return response.redirect('/settings/company')
  }

  /** The logo goes out only to members of the company, through this check. */
  async logo({ access, response }: HttpContext) {
    const company = await Company.findOrFail(access.companyId)
    if (!company.logoPath) return response.notFound({ errors: [{ message: 'No logo' }] })
    const ext = company.logoPath.split('.').pop()!
    response.header('Content-Type', LOGO_TYPES[ext] ?? 'application/octet-stream')
    response.header('Cache-Control', 'private, max-age=300')
    return response.download(app.makePath('storage', 'logos', company.logoPath))
  }

  /** A sample document with the company's letterhead, for an admin to check it. */
  async letterhead({ access, response }: HttpContext) {
    const { pdf, filename } = await renderLetterheadSample(access.companyId)
    response.header('Content-Type', 'application/pdf')
    response.header('Content-Disposition', `inline; filename="${filename}"`)
    response.header('Cache-Control', 'private, no-store')
    return response.send(pdf)
  }

  async apiShow({ access }: HttpContext) {
    return { data: companyToJson(await Company.findOrFail(access.companyId)) }
  }

  async apiUpdate({ request, access }: HttpContext) {
    const data = await request.validateUsing(updateCompanyValidator)
    const company = await Company.findOrFail(access.companyId)
    await company.merge(data).save()
    return { data: companyToJson(company) }
  }
}
