import { defineImport, type ImportProblem } from '#kernel/imports/types'
import {
  compact,
  isValidSiren,
  isValidSiret,
  isValidVatNumber,
} from '#kernel/validation/french_ids'
import Contact from '../models/contact.js'
import ContactService from '../services/contact_service.js'
import { CONTACT_MODEL, FINANCIAL_FIELDS, PERMISSIONS } from '../constants.js'

const COLUMNS: Record<string, string> = { code: 'code', siret: 'siret', email: 'email' }

export default defineImport({
  async match({ access, client }, field, values) {
    const column = COLUMNS[field]
    const wanted = field === 'siret' ? values.map(compact) : values
    const rows = await access
      .scope(Contact.query({ client }), PERMISSIONS.update)
      .whereIn(column, wanted)
      .select('id', column)
    const found = new Map<string, number[]>()
    for (const row of rows) {
      const value = String(row.$attributes[field])
      found.set(value, [...(found.get(value) ?? []), row.id])
    }
    // Keys come back as the file wrote them (a SIRET with spaces included).
    return new Map(values.map((value, i) => [value, found.get(wanted[i]) ?? []]))
  },

  check({ access, t }, { values, action }) {
    const problems: ImportProblem[] = []
    const refuse = (field: string, rule: string, key: string) =>
      problems.push({ field, rule, message: t(`contacts.import.${key}`) })
    for (const field of FINANCIAL_FIELDS) {
      if (values[field] !== undefined && !access.canEditField(CONTACT_MODEL, field)) {
        refuse(field, 'forbidden', 'forbidden_field')
      }
    }
    if (action === 'create' && values.name === undefined) {
      problems.push({ field: 'name', rule: 'required', message: t('imports.errors.required') })
    }
    for (const [field, valid, rule] of [
      ['siren', isValidSiren, 'siren'],
      ['siret', isValidSiret, 'siret'],
      ['vatNumber', isValidVatNumber, 'frVat'],
    ] as const) {
      if (values[field] === undefined) continue
      values[field] = compact(String(values[field]))
      if (!valid(values[field] as string)) refuse(field, rule, rule)
    }
    const { siren, siret } = values as { siren?: string; siret?: string }
    if (siren && siret && !siret.startsWith(siren))
      refuse('siret', 'siretMatchesSiren', 'siret_siren')
    if (values.country !== undefined) {
      values.country = String(values.country).toUpperCase()
      if (!/^[A-Z]{2}$/.test(values.country as string)) refuse('country', 'country', 'country')
    }
    const address = ['line1', 'postalCode', 'city'].filter((f) => values[f] !== undefined)
    if (address.length && address.length < 3) {
      for (const field of ['line1', 'postalCode', 'city'].filter((f) => values[f] === undefined)) {
        refuse(field, 'required', 'address_incomplete')
      }
    }
    return problems
  },

  async apply({ access, trx, progress }, rows) {
    await new ContactService(access).importRows(trx, rows, progress)
  },
})
