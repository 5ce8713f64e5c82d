import type { HttpContext } from '@adonisjs/core/http'
import ContactService, { LIST_COLUMNS, type ContactFilters } from '../services/contact_service.js'
import type Contact from '../models/contact.js'
import {
  createContactValidator,
  updateContactValidator,
  listContactsValidator,
} from '../validators/contact.js'
import {
  contactToJson,
  contactRowToJson,
  contactsCsv,
  customValuesOf,
} from '../transformers/contact_transformer.js'
import { CONTACT_MODEL, PERMISSIONS } from '../constants.js'
import { workflowPanel } from '#kernel/workflow/engine'
import { sendExport } from '#kernel/export/csv'
import { companyMembers, companyTeams } from '#kernel/security/directory'
import { customFields, toView } from '#kernel/custom_fields/custom_fields'
import { validateWithCustomFields } from '#kernel/custom_fields/http'

/** The contacts pages. Thin: validate, call the service, render or redirect. */
export default class ContactsController {
  async #filters(ctx: HttpContext): Promise<ContactFilters & { cf?: unknown }> {
    let filters
    try {
      filters = await listContactsValidator.validate(ctx.request.qs())
    } catch {
      // A hand-edited query string falls back to the default list, not an error page.
      return {}
    }
    try {
      const custom = await customFields.parseFilters(
        ctx.access.companyId,
        CONTACT_MODEL,
        filters.cf
      )
      return { ...filters, custom }
    } catch {
      return { ...filters, cf: undefined }
    }
  }

  /** The company's active custom fields of contacts, in the page's language. */
  #customFields(ctx: HttpContext) {
    return customFields.views(ctx.access.companyId, CONTACT_MODEL, ctx.i18n.locale)
  }

  #abilities(ctx: HttpContext) {
    return {
      create: ctx.access.can(PERMISSIONS.create),
      update: ctx.access.can(PERMISSIONS.update),
      delete: ctx.access.can(PERMISSIONS.delete),
      export: ctx.access.can(PERMISSIONS.export),
      import:
        ctx.access.can(PERMISSIONS.import) &&
        (ctx.access.can(PERMISSIONS.create) || ctx.access.can(PERMISSIONS.update)),
      // The terms of business (credit limit, payment terms): a field rule
      financial: ctx.access.canSeeField(CONTACT_MODEL, 'creditLimitCents'),
    }
  }

  /**
   * The same, for one contact: editing and deleting are offered only when
   * the scope of those permissions reaches this record (Bouncer consults the
   * roles' scopes), not merely when the permission is held.
   */
  async #recordAbilities(ctx: HttpContext, contact: Contact) {
    const place = { companyId: contact.companyId, ownerId: contact.ownerId, teamId: contact.teamId }
    return {
      ...this.#abilities(ctx),
      update: await ctx.bouncer.allows('permission', PERMISSIONS.update, place),
      delete: await ctx.bouncer.allows('permission', PERMISSIONS.delete, place),
    }
  }

  async #formOptions(ctx: HttpContext) {
    const [members, teams] = await Promise.all([
      companyMembers(ctx.access.companyId),
      companyTeams(ctx.access.companyId),
    ])
    return { members, teams }
  }

  async index(ctx: HttpContext) {
    const { custom, ...filters } = await this.#filters(ctx)
    // Read once, for the rows' values and the columns alike
    const fields = await customFields.definitions(ctx.access.companyId, CONTACT_MODEL)
    const page = await new ContactService(ctx.access).list(
      { ...filters, custom },
      LIST_COLUMNS,
      fields
    )
    return ctx.inertia.render('contacts/index', {
      contacts: page.data.map(contactRowToJson),
      nextCursor: page.nextCursor,
      filters: { ...filters, cursor: filters.cursor ?? null },
      customFields: fields.map((field) => toView(field, ctx.i18n.locale)),
      can: this.#abilities(ctx),
    })
  }

  async create(ctx: HttpContext) {
    return ctx.inertia.render('contacts/create', {
      options: await this.#formOptions(ctx),
      customFields: await this.#customFields(ctx),
      can: this.#abilities(ctx),
    })
  }

  async store(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, createContactValidator, CONTACT_MODEL, {
      creating: true,
    })
    const contact = await new ContactService(ctx.access).create(data)
    ctx.session.flash('success', ctx.i18n.t('contacts.created', { code: contact.code }))
    return ctx.response.redirect(`/contacts/${contact.id}`)
  }

  async show(ctx: HttpContext) {
    const contact = await new ContactService(ctx.access).find(Number(ctx.params.id))
    const fields = await customFields.definitions(ctx.access.companyId, CONTACT_MODEL)
    return ctx.inertia.render('contacts/show', {
      contact: contactToJson(contact, ctx.access),
      lifecycle: await workflowPanel(ctx.access, CONTACT_MODEL, contact.id),
      customFields: fields.map((field) => toView(field, ctx.i18n.locale)),
      references: await customFields.referenceTitles(ctx.access, fields, [customValuesOf(contact)]),
      can: await this.#recordAbilities(ctx, contact),
    })
  }

  async edit(ctx: HttpContext) {
    const contact = await new ContactService(ctx.access).find(
      Number(ctx.params.id),
      PERMISSIONS.update
    )
    return ctx.inertia.render('contacts/edit', {
      contact: contactToJson(contact, ctx.access),
      options: await this.#formOptions(ctx),
      customFields: await this.#customFields(ctx),
      can: this.#abilities(ctx),
    })
  }

  async update(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, updateContactValidator, CONTACT_MODEL, {
      creating: false,
    })
    const contact = await new ContactService(ctx.access).update(Number(ctx.params.id), data)
    ctx.session.flash('success', ctx.i18n.t('contacts.updated'))
    return ctx.response.redirect(`/contacts/${contact.id}`)
  }

  async destroy(ctx: HttpContext) {
    const result = await new ContactService(ctx.access).remove(Number(ctx.params.id))
    ctx.session.flash(
      'success',
      ctx.i18n.t(result.archived ? 'contacts.archived_instead' : 'contacts.deleted')
    )
    return ctx.response.redirect('/contacts')
  }

  async restore(ctx: HttpContext) {
    const contact = await new ContactService(ctx.access).restore(Number(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('contacts.restored'))
    return ctx.response.redirect(`/contacts/${contact.id}`)
  }

  async export(ctx: HttpContext) {
    return this.#export(ctx, 'csv')
  }

  async exportXlsx(ctx: HttpContext) {
    return this.#export(ctx, 'xlsx')
  }

  /** The list as it is filtered on screen, within the export scope, with its custom fields. */
  async #export(ctx: HttpContext, format: 'csv' | 'xlsx') {
    const filters = await this.#filters(ctx)
    const service = new ContactService(ctx.access)
    const csv = contactsCsv(
      ctx.access,
      await customFields.definitions(ctx.access.companyId, CONTACT_MODEL)
    )
    async function* rows() {
      for await (const contact of service.exportRows(filters)) yield csv.row(contact)
    }
    return sendExport(ctx.response, format, 'contacts', csv.header, rows())
  }
}
