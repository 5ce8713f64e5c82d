import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { Exception } from '@adonisjs/core/exceptions'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { nextNumber } from '#kernel/numbering/numbering'
import { keysetPage } from '#kernel/pagination/keyset'
import { referencesTo } from '#kernel/modules/references'
import { fieldError } from '#kernel/http/field_error'
import { isCompanyMember, isCompanyTeam } from '#kernel/security/directory'
import { record, snapshot, type AuditRecord } from '#kernel/audit/audit'
import { refuseHiddenWrites } from '#kernel/security/field_rules'
import { startOf } from '#kernel/workflow/engine'
import { customFields, type CustomFilter } from '#kernel/custom_fields/custom_fields'
import { forgetAttachments } from '#kernel/attachments/attachments'
import { notify } from '#kernel/notifications/notifications'
import type { CustomFieldDefinition, CustomValues } from '#kernel/custom_fields/types'
import type { CheckedRow } from '#kernel/imports/types'
import Contact, { type Address } from '../models/contact.js'
import ContactPerson from '../models/contact_person.js'
import { normalize, escapeLike } from './search.js'
import {
  ASSIGNED_NOTIFICATION,
  CONTACT_MODEL,
  CONTACT_SEQUENCE,
  PAYMENT_TERMS,
  PERMISSIONS,
} from '../constants.js'

export interface ContactInput {
  kind?: 'company' | 'person'
  name?: string
  isCustomer?: boolean
  isSupplier?: boolean
  siren?: string | null
  siret?: string | null
  vatNumber?: string | null
  email?: string | null
  phone?: string | null
  addresses?: Address[]
  tags?: string[]
  notes?: string | null
  people?: {
    firstName?: string | null
    lastName: string
    jobTitle?: string | null
    email?: string | null
    phone?: string | null
  }[]
  ownerId?: number | null
  teamId?: number | null
  creditLimitCents?: number | null
  /** null is refused: a contact always has payment terms */
  paymentTermsDays?: number | null
  /** Values of the company's custom fields, by key (see the kernel's custom fields) */
  customFields?: Record<string, unknown>
}

export interface ContactFilters {
  search?: string
  sort?: 'name' | '-name' | 'code' | '-code' | 'createdAt' | '-createdAt'
  limit?: number
  cursor?: string
  kind?: 'company' | 'person'
  role?: 'customer' | 'supplier'
  tag?: string
  archived?: boolean
  /** Custom field filters, read by customFields.parseFilters */
  custom?: CustomFilter[]
}

const SORT_COLUMNS = {
  name: { column: 'sort_name' },
  code: { column: 'code' },
  // Ids grow with creation time: sorting by id is sorting by creation.
  createdAt: { column: undefined },
} as const

/** A list row: the selected columns as the database returns them, and the custom values. */
export type ContactListRow = { id: number; customFields?: CustomValues } & Record<string, unknown>

/** The columns the list pages show (contactRowToJson). */
export const LIST_COLUMNS = [
  'code',
  'kind',
  'name',
  'is_customer',
  'is_supplier',
  'email',
  'phone',
  'addresses',
  'tags',
  'lifecycle',
  'archived_at',
] as const

/** The columns of a contact in the API (contactToJson); not the search keys. */
export const API_COLUMNS = [
  ...LIST_COLUMNS,
  'siren',
  'siret',
  'vat_number',
  'notes',
  'owner_id',
  'team_id',
  'credit_limit_cents',
  'payment_terms_days',
  'created_at',
  'updated_at',
] as const

/** Derived columns: they change with the fields they are made of, which are audited. */
const NOT_AUDITED = ['companyId', 'sortName', 'searchText']

/** Custom values in the history, one entry per field: `customFields.<key>`. */
function customAuditValues(values: CustomValues) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`customFields.${k}`, v]))
}

/** A contact as its history shows it: its fields, its custom values and its people. */
function auditValues(contact: Contact, custom: CustomValues = {}) {
  return {
    ...snapshot(contact),
    ...customAuditValues(custom),
    people: (contact.people ?? []).map((p) => ({
      firstName: p.firstName,
      lastName: p.lastName,
      jobTitle: p.jobTitle,
      email: p.email,
      phone: p.phone,
    })),
  }
}

function audit(
  trx: TransactionClientContract,
  contact: Contact,
  entry: Pick<AuditRecord, 'event' | 'before' | 'after'>
) {
  return record(trx, { ...entry, model: CONTACT_MODEL, recordId: contact.id, ignore: NOT_AUDITED })
}

function notFound() {
  return new Exception('Contact not found', { status: 404, code: 'E_NOT_FOUND' })
}

/**
 * Every way to read, write and export contacts. Reads always go through
 * `scoped()`: the company and the user's record scope are applied once, here.
 */
export default class ContactService {
  constructor(private access: Access) {}

  /** Contacts this user may see with `permission` (default: read). */
  scoped(permission: string = PERMISSIONS.read, client?: TransactionClientContract) {
    return this.access.scope(Contact.query(client ? { client } : undefined), permission)
  }

  /** Applies list filters and search to a scoped query. */
  filtered(filters: ContactFilters, permission: string = PERMISSIONS.read) {
    const query = this.scoped(permission)
    if (filters.archived) query.whereNotNull('archived_at')
    else query.whereNull('archived_at')
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.role === 'customer') query.where('is_customer', true)
    if (filters.role === 'supplier') query.where('is_supplier', true)
    if (filters.tag) {
      query.whereLike('tags', `%${escapeLike(JSON.stringify(filters.tag).slice(0, -1))}"%`)
    }
    if (filters.custom?.length) customFields.applyFilters(query, filters.custom, 'contacts.id')
    const term = normalize(filters.search)
    if (term) {
      for (const word of term.split(' ').slice(0, 5)) {
        query.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [`%${escapeLike(word)}%`])
      }
    }
    return query
  }

  /**
   * A page of the list as plain rows (snake_case columns, `columns` only, no
   * model hydration), each with its custom values in `customFields`. The
   * scope, filters and keyset are those of every other read.
   */
  async list(
    filters: ContactFilters,
    columns: readonly string[] = LIST_COLUMNS,
    /** The company's active custom fields of contacts, when the caller has read them */
    fields?: CustomFieldDefinition[]
  ): Promise<{ data: ContactListRow[]; nextCursor: string | null }> {
    const sort = filters.sort ?? 'name'
    const key = sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS
    const { column } = SORT_COLUMNS[key]
    const query = this.filtered(filters).select(
      [...new Set(['id', ...(column ? [column] : []), ...columns])].map((c) => `contacts.${c}`)
    )
    const page = await keysetPage<ContactListRow>(query.pojo(), {
      column,
      valueOf: column ? (row) => row[column] as string : undefined,
      direction: sort.startsWith('-') ? 'desc' : 'asc',
      limit: filters.limit ?? 25,
      cursor: filters.cursor,
    })
    const values = await customFields.load(
      this.access.companyId,
      CONTACT_MODEL,
      page.data.map((row) => row.id),
      { fields }
    )
    for (const row of page.data) row.customFields = values.get(row.id)
    return page
  }

  /** One contact within the user's scope for `permission`, else 404 (never 403: no leak). */
  async find(id: number, permission: string = PERMISSIONS.read) {
    if (!Number.isInteger(id) || id < 1) throw notFound()
    const contact = await this.scoped(permission)
      .where('id', id)
      .preload('people', (q) => q.orderBy('position'))
      .first()
    if (!contact) throw notFound()
    await customFields.attach(this.access.companyId, CONTACT_MODEL, [contact])
    return contact
  }

  /** Checks that an owner and a team named in input belong to the current company. */
  async #checkOwnership(input: ContactInput, trx: TransactionClientContract) {
    if (input.ownerId && !(await isCompanyMember(this.access.companyId, input.ownerId, trx))) {
      throw fieldError('ownerId', 'Unknown user in this company', 'exists')
    }
    if (input.teamId && !(await isCompanyTeam(this.access.companyId, input.teamId, trx))) {
      throw fieldError('teamId', 'Unknown team in this company', 'exists')
    }
  }

  #checkTerms(input: ContactInput) {
    if (input.paymentTermsDays === null) {
      throw fieldError('paymentTermsDays', 'This field is required', 'required')
    }
  }

  #checkIdentity(values: { siren?: string | null; siret?: string | null }) {
    if (values.siren && values.siret && !values.siret.startsWith(values.siren)) {
      throw fieldError('siret', 'The SIRET must start with the SIREN', 'siretMatchesSiren')
    }
  }

  #derived(contact: Contact) {
    contact.sortName = normalize(contact.name)
    contact.searchText = normalize(
      [
        contact.name,
        contact.code,
        contact.email,
        contact.phone,
        contact.siren,
        contact.siret,
        contact.vatNumber,
        ...(contact.addresses ?? []).map((a) => `${a.postalCode} ${a.city}`),
        ...(contact.tags ?? []),
      ]
        .filter(Boolean)
        .join(' ')
    )
  }

  async #replacePeople(
    contact: Contact,
    people: ContactInput['people'],
    trx: TransactionClientContract
  ) {
    if (people === undefined) return
    await ContactPerson.query({ client: trx }).where('contact_id', contact.id).delete()
    if (people.length) {
      await ContactPerson.createMany(
        people.map((p, position) => ({
          contactId: contact.id,
          firstName: p.firstName ?? null,
          lastName: p.lastName,
          jobTitle: p.jobTitle ?? null,
          email: p.email ?? null,
          phone: p.phone ?? null,
          position,
        })),
        { client: trx }
      )
    }
  }

  /** Creates a contact and its people, numbered from the company's series, in one transaction. */
  async create(input: ContactInput & { kind: 'company' | 'person'; name: string }) {
    await refuseHiddenWrites(this.access, CONTACT_MODEL, input)
    this.#checkTerms(input)
    this.#checkIdentity(input)
    const custom = await customFields.prepare(this.access, CONTACT_MODEL, input.customFields, {
      creating: true,
    })
    return db.transaction(async (trx) => {
      await this.#checkOwnership(input, trx)
      const { formatted } = await nextNumber(trx, this.access.companyId, CONTACT_SEQUENCE)
      const lifecycle = await startOf(CONTACT_MODEL, trx)
      const contact = new Contact()
      contact.useTransaction(trx)
      contact.merge({
        companyId: this.access.companyId,
        code: formatted,
        kind: input.kind,
        name: input.name,
        isCustomer: input.isCustomer ?? false,
        isSupplier: input.isSupplier ?? false,
        siren: input.siren ?? null,
        siret: input.siret ?? null,
        vatNumber: input.vatNumber ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        addresses: input.addresses ?? [],
        tags: [...new Set(input.tags ?? [])],
        notes: input.notes ?? null,
        ownerId: input.ownerId ?? this.access.userId,
        teamId: input.teamId ?? null,
        creditLimitCents: input.creditLimitCents ?? null,
        paymentTermsDays: input.paymentTermsDays ?? PAYMENT_TERMS.default,
        lifecycle: lifecycle.state,
        workflowVersion: lifecycle.version,
      })
      this.#derived(contact)
      await contact.save()
      await this.#replacePeople(contact, input.people ?? [], trx)
      await contact.load('people', (q) => q.orderBy('position'))
      const { after } = await customFields.write(trx, custom, contact.id)
      await customFields.attach(this.access.companyId, CONTACT_MODEL, [contact], { client: trx })
      await audit(trx, contact, { event: 'created', after: auditValues(contact, after) })
      await this.#notifyOwner(contact, null, trx)
      return contact
    })
  }

  async update(id: number, input: ContactInput) {
    await refuseHiddenWrites(this.access, CONTACT_MODEL, input)
    this.#checkTerms(input)
    return db.transaction(async (trx) => {
      const contact = await this.scoped(PERMISSIONS.update, trx).where('id', id).forUpdate().first()
      if (!contact) throw notFound()
      await this.#checkOwnership(input, trx)
      const { people, tags, customFields: customInput, ...fields } = input
      const custom = await customFields.prepare(this.access, CONTACT_MODEL, customInput, {
        creating: false,
        client: trx,
      })
      await contact.load('people', (q) => q.orderBy('position'))
      const written = await customFields.write(trx, custom, contact.id)
      const before = auditValues(contact, written.before)
      const previousOwner = contact.ownerId
      contact.merge(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))
      if (tags !== undefined) contact.tags = [...new Set(tags)]
      this.#checkIdentity(contact)
      this.#derived(contact)
      await contact.save()
      await this.#replacePeople(contact, people, trx)
      await contact.load('people', (q) => q.orderBy('position'))
      await customFields.attach(this.access.companyId, CONTACT_MODEL, [contact], { client: trx })
      await audit(trx, contact, {
        event: 'updated',
        before,
        after: auditValues(contact, written.after),
      })
      await this.#notifyOwner(contact, previousOwner, trx)
      return contact
    })
  }

  /** Tells a contact's new owner it was given to them (not when they took it themselves). */
  async #notifyOwner(
    contact: Contact,
    previousOwner: number | null,
    trx: TransactionClientContract
  ) {
    const owner = contact.ownerId
    if (!owner || owner === previousOwner || owner === this.access.userId) return
    await notify(
      {
        type: ASSIGNED_NOTIFICATION,
        companyId: this.access.companyId,
        recipients: [owner],
        title: { key: 'contacts.notification_assigned', params: { name: contact.name } },
        body: { key: 'contacts.notification_assigned_body', params: { code: contact.code } },
        link: `/contacts/${contact.id}`,
        record: { model: CONTACT_MODEL, id: contact.id },
      },
      { client: trx }
    )
  }

  /**
   * Deletes a contact, or archives it when another module's records point at
   * it (the kernel's deletion hook), so nothing is orphaned.
   */
  async remove(
    id: number
  ): Promise<{ archived: boolean; references: { module: string; count: number }[] }> {
    return db.transaction(async (trx) => {
      const contact = await this.scoped(PERMISSIONS.delete, trx).where('id', id).forUpdate().first()
      if (!contact) throw notFound()
      const references = await referencesTo(CONTACT_MODEL, contact.id, trx)
      if (references.length) {
        if (!contact.archivedAt) {
          const before = snapshot(contact)
          contact.archivedAt = DateTime.utc()
          await contact.save()
          await audit(trx, contact, { event: 'archived', before, after: snapshot(contact) })
        }
        return { archived: true, references }
      }
      await contact.load('people', (q) => q.orderBy('position'))
      const before = auditValues(contact)
      await customFields.forget(trx, this.access.companyId, CONTACT_MODEL, contact.id)
      await forgetAttachments(trx, CONTACT_MODEL, contact.id)
      await contact.delete()
      await audit(trx, contact, { event: 'deleted', before, after: null })
      return { archived: false, references }
    })
  }

  /** Restores an archived contact. */
  async restore(id: number) {
    return db.transaction(async (trx) => {
      const contact = await this.scoped(PERMISSIONS.update, trx).where('id', id).forUpdate().first()
      if (!contact) throw notFound()
      if (!contact.archivedAt) return contact
      const before = snapshot(contact)
      contact.archivedAt = null
      await contact.save()
      await audit(trx, contact, { event: 'restored', before, after: snapshot(contact) })
      return contact
    })
  }

  /**
   * Writes checked import rows (see imports/contacts.ts) inside the import's
   * one transaction: creations numbered from the series and started in the
   * lifecycle workflow, updates of the given fields only (a billing address
   * replaces the contact's billing address), each audited like a form change.
   */
  async importRows(
    trx: TransactionClientContract,
    rows: CheckedRow[],
    progress: (done: number) => void
  ) {
    const lifecycle = await startOf(CONTACT_MODEL, trx)
    const updates = new Map<number, Contact>()
    const ids = rows.filter((r) => r.action === 'update').map((r) => r.recordId!)
    for (let i = 0; i < ids.length; i += 500) {
      const found = await this.scoped(PERMISSIONS.update, trx)
        .whereIn('id', ids.slice(i, i + 500))
        .forUpdate()
      for (const contact of found) updates.set(contact.id, contact)
    }
    let done = 0
    for (const row of rows) {
      // `code` only finds the contact to update: the numbering series gives codes.
      const { line1, postalCode, city, country, ...fields } = row.values as Record<string, any>
      delete fields.code
      const billing: Address | null =
        line1 !== undefined
          ? { type: 'billing', line1, postalCode, city, country: country ?? 'FR' }
          : null
      let contact: Contact
      let before: Record<string, unknown> | null = null
      if (row.action === 'update') {
        const found = updates.get(row.recordId!)
        // Matched within this scope by the dry run moments ago: gone means changed meanwhile.
        if (!found) throw notFound()
        contact = found
        before = snapshot(contact)
        contact.merge(fields)
        if (billing) {
          contact.addresses = [billing, ...contact.addresses.filter((a) => a.type !== 'billing')]
        }
      } else {
        const { formatted } = await nextNumber(trx, this.access.companyId, CONTACT_SEQUENCE)
        contact = new Contact()
        contact.useTransaction(trx)
        contact.merge({
          companyId: this.access.companyId,
          code: formatted,
          kind: 'company',
          isCustomer: false,
          isSupplier: false,
          addresses: billing ? [billing] : [],
          tags: [],
          ownerId: this.access.userId,
          paymentTermsDays: PAYMENT_TERMS.default,
          lifecycle: lifecycle.state,
          workflowVersion: lifecycle.version,
          ...fields,
        })
      }
      this.#checkIdentity(contact)
      this.#derived(contact)
      await contact.save()
      await audit(trx, contact, {
        event: before ? 'updated' : 'created',
        before,
        after: snapshot(contact),
      })
      progress(++done)
    }
  }

  /** Streams the filtered list in pages of 1 000 (constant memory), for CSV export. */
  async *exportRows(filters: ContactFilters, permission: string = PERMISSIONS.export) {
    let cursor: string | null = null
    do {
      const page: { data: Contact[]; nextCursor: string | null } = await keysetPage<Contact>(
        this.filtered(filters, permission).preload('people', (q) => q.orderBy('position')),
        {
          column: 'sort_name',
          valueOf: (c) => c.sortName,
          direction: 'asc',
          limit: 1000,
          cursor,
        }
      )
      await customFields.attach(this.access.companyId, CONTACT_MODEL, page.data)
      yield* page.data
      cursor = page.nextCursor
    } while (cursor)
  }
}
