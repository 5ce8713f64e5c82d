import type { HttpContext } from '@adonisjs/core/http'
import { customFields } from '#kernel/custom_fields/custom_fields'
import { customFieldsAdmin } from '#kernel/custom_fields/admin'
import { CUSTOM_FIELD_TYPES, MAX_DECIMAL_SCALE } from '#kernel/custom_fields/types'
import {
  createCustomFieldValidator,
  listCustomFieldsValidator,
  updateCustomFieldValidator,
} from '#validators/custom_fields'

/** Custom fields of the current company: admin pages and /api/v1/admin/custom-fields. */
export default class CustomFieldsController {
  async index({ inertia, access, i18n }: HttpContext) {
    const fields = await customFieldsAdmin.list(access.companyId)
    const counts = await customFieldsAdmin.valueCounts(fields.map((f) => f.id))
    return inertia.render('settings/custom_fields', {
      models: await customFields.models(i18n.locale),
      fields: fields.map((f) => ({ ...f, values: counts.get(f.id) ?? 0 })),
    })
  }

  async #formProps({ i18n }: HttpContext) {
    return {
      models: await customFields.models(i18n.locale),
      targets: await customFields.targets(i18n.locale),
      types: [...CUSTOM_FIELD_TYPES],
      maxScale: MAX_DECIMAL_SCALE,
    }
  }

  async create(ctx: HttpContext) {
    const model = String(ctx.request.qs().model ?? '')
    return ctx.inertia.render('settings/custom_field', {
      ...(await this.#formProps(ctx)),
      field: null,
      model,
    })
  }

  async store({ request, access, response, session, i18n }: HttpContext) {
    const input = await request.validateUsing(createCustomFieldValidator)
    const field = await customFieldsAdmin.create(access.companyId, input)
    session.flash('success', i18n.t('custom_fields.created', { label: field.label.fr }))
    return response.redirect('/settings/custom-fields')
  }

  async edit(ctx: HttpContext) {
    const field = await customFieldsAdmin.find(ctx.access.companyId, Number(ctx.params.id))
    return ctx.inertia.render('settings/custom_field', {
      ...(await this.#formProps(ctx)),
      field,
      model: field.model,
    })
  }

  async update({ request, access, params, response, session, i18n }: HttpContext) {
    const change = await request.validateUsing(updateCustomFieldValidator)
    const field = await customFieldsAdmin.update(access.companyId, Number(params.id), change)
    session.flash('success', i18n.t('custom_fields.saved', { label: field.label.fr }))
    return response.redirect('/settings/custom-fields')
  }

  async archive({ access, params, response, session, i18n }: HttpContext) {
    const field = await customFieldsAdmin.archive(access.companyId, Number(params.id))
    session.flash('success', i18n.t('custom_fields.archived', { label: field.label.fr }))
    return response.redirect('/settings/custom-fields')
  }

  async restore({ access, params, response, session, i18n }: HttpContext) {
    const field = await customFieldsAdmin.restore(access.companyId, Number(params.id))
    session.flash('success', i18n.t('custom_fields.restored', { label: field.label.fr }))
    return response.redirect('/settings/custom-fields')
  }

  async purge({ access, params, response, session, i18n }: HttpContext) {
    const field = await customFieldsAdmin.find(access.companyId, Number(params.id))
    const { values } = await customFieldsAdmin.purge(access.companyId, field.id)
    session.flash('success', i18n.t('custom_fields.purged', { label: field.label.fr, values }))
    return response.redirect('/settings/custom-fields')
  }

  async apiIndex({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listCustomFieldsValidator, { data: request.qs() })
    return {
      data: await customFieldsAdmin.list(access.companyId, {
        model: filters.model,
        archived: filters.archived,
      }),
    }
  }

  async apiShow({ access, params }: HttpContext) {
    return { data: await customFieldsAdmin.find(access.companyId, Number(params.id)) }
  }

  async apiStore({ request, access, response }: HttpContext) {
    const input = await request.validateUsing(createCustomFieldValidator)
    return response.created({ data: await customFieldsAdmin.create(access.companyId, input) })
  }

  async apiUpdate({ request, access, params }: HttpContext) {
    const change = await request.validateUsing(updateCustomFieldValidator)
    return { data: await customFieldsAdmin.update(access.companyId, Number(params.id), change) }
  }

  async apiArchive({ access, params }: HttpContext) {
    return { data: await customFieldsAdmin.archive(access.companyId, Number(params.id)) }
  }

  async apiRestore({ access, params }: HttpContext) {
    return { data: await customFieldsAdmin.restore(access.companyId, Number(params.id)) }
  }

  async apiPurge({ access, params }: HttpContext) {
    return { data: await customFieldsAdmin.purge(access.companyId, Number(params.id)) }
  }
}
