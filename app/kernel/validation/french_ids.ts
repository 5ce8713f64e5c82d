import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/**
 * French company identifiers. SIREN (9 digits) and SIRET (14 digits) carry a
 * Luhn check digit; La Poste's establishments (SIREN 356 000 000) are the
 * documented exception: their SIRET digits sum to a multiple of 5. The
 * intra-community VAT number is FR + a 2-digit key + the SIREN, with
 * key = (12 + 3 × (SIREN mod 97)) mod 97.
 */

export function compact(value: string) {
  return value.replace(/[\s.-]/g, '').toUpperCase()
}

export function luhnValid(digits: string) {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

const LA_POSTE_SIREN = '356000000'

export function isValidSiren(value: string) {
  return /^\d{9}$/.test(value) && luhnValid(value)
}

export function isValidSiret(value: string) {
  if (!/^\d{14}$/.test(value)) return false
  if (value.startsWith(LA_POSTE_SIREN) && value !== `${LA_POSTE_SIREN}00048`) {
    const sum = [...value].reduce((total, d) => total + Number(d), 0)
    return sum % 5 === 0
  }
  return luhnValid(value)
}

export function frVatKey(siren: string) {
  return (12 + 3 * (Number(siren) % 97)) % 97
}

/** Checks FR VAT numbers fully; other EU prefixes only for their general shape. */
export function isValidVatNumber(value: string) {
  const match = /^FR([0-9A-Z]{2})(\d{9})$/.exec(value)
  if (match) {
    const [, key, siren] = match
    if (/^\d{2}$/.test(key)) return Number(key) === frVatKey(siren)
    // Alphanumeric keys (new-style) are allowed as issued by the tax office.
    return true
  }
  return /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*]{2,13}$/.test(
    value
  )
}

function check(name: string, test: (v: string) => boolean) {
  return vine.createRule((value: unknown, _: undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const compacted = compact(value)
    if (!test(compacted)) {
      field.report(`The {{ field }} field is not a valid ${name}`, name, field)
      return
    }
    field.mutate(compacted, field)
  })
}

export const sirenRule = check('siren', isValidSiren)
export const siretRule = check('siret', isValidSiret)
export const vatRule = check('frVat', isValidVatNumber)
