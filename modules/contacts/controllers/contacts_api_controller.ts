import type { HttpContext } from '@adonisjs/core/http'
import ContactService, { API_COLUMNS } from '../services/contact_service.js'
import {
  createContactValidator,
  updateContactValidator,
  listContactsValidator,
} from '../validators/contact.js'
import {
  contactToJson,
  contactListRowToJson,
  contactsCsv,
} from '../transformers/contact_transformer.js'
import { sendExport } from '#kernel/export/csv'
import { customFields } from '#kernel/custom_fields/custom_fields'
import { validateWithCustomFields } from '#kernel/custom_fields/http'
import { CONTACT_MODEL } from '../constants.js'

/** /api/v1/contacts: the same operations as the pages, as JSON. */
export default class ContactsApiController {
  async index({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listContactsValidator, { data: request.qs() })
    const custom = await customFields.parseFilters(access.companyId, CONTACT_MODEL, filters.cf)
    const page = await new ContactService(access).list({ ...filters, custom }, API_COLUMNS)
    return {
      data: page.data.map((row) => contactListRowToJson(row, access)),
      meta: { nextCursor: page.nextCursor },
    }
  }

  async show({ params, access }: HttpContext) {
    const contact = await new ContactService(access).find(Number(params.id))
    return { data: contactToJson(contact, access) }
  }

  async store(ctx: HttpContext) {
    const { access, response } = ctx
    const data = await validateWithCustomFields(ctx, createContactValidator, CONTACT_MODEL, {
      creating: true,
    })
    const contact = await new ContactService(access).create(data)
    return response.created({ data: contactToJson(contact, access) })
  }

  async update(ctx: HttpContext) {
    const { params, access } = ctx
    const data = await validateWithCustomFields(ctx, updateContactValidator, CONTACT_MODEL, {
      creating: false,
    })
    const contact = await new ContactService(access).update(Number(params.id), data)
    return { data: contactToJson(contact, access) }
  }

  /** 204 when deleted; 200 `{ archived: true, references }` when other records point at it. */
  async destroy({ params, access, response }: HttpContext) {
    const result = await new ContactService(access).remove(Number(params.id))
    if (!result.archived) return response.noContent()
    return response.ok({ data: { archived: true, references: result.references } })
  }

  async export(ctx: HttpContext) {
    return this.#export(ctx, 'csv')
  }

  async exportXlsx(ctx: HttpContext) {
    return this.#export(ctx, 'xlsx')
  }

  async #export({ request, access, response }: HttpContext, format: 'csv' | 'xlsx') {
    const filters = await request.validateUsing(listContactsValidator, { data: request.qs() })
    const custom = await customFields.parseFilters(access.companyId, CONTACT_MODEL, filters.cf)
    const service = new ContactService(access)
    const csv = contactsCsv(access, await customFields.definitions(access.companyId, CONTACT_MODEL))
    async function* rows() {
      for await (const contact of service.exportRows({ ...filters, custom })) yield csv.row(contact)
    }
    return sendExport(response, format, 'contacts', csv.header, rows())
  }
}
