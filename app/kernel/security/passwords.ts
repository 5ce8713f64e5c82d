import { readFile } from 'node:fs/promises'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { HttpContext } from '@adonisjs/core/http'

/**
 * The password policy (OWASP ASVS 5.0, V6.2): 8 to 128 characters, anything
 * allowed, but not a password from a list of the most common ones, not a
 * trivial pattern, and not the account's own email address. Applied wherever
 * a password is chosen: setup, invitation, reset, profile, `user:create`.
 */

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

/** Why a password is refused; also the validation rule name reported. */
export type PasswordProblem = 'commonPassword' | 'passwordContainsEmail'

const LIST = new URL('./data/common_passwords.txt.gz', import.meta.url)

let common: Promise<Set<string>> | undefined

/** The bundled list (see data/README.md), read once, on first use. */
export function commonPasswords(): Promise<Set<string>> {
  common ??= readFile(LIST)
    .then((gz) => promisify(gunzip)(gz))
    .then((text) => new Set(text.toString('utf8').split('\n').filter(Boolean)))
    .catch((error) => {
      // Let a later call try again rather than remember a failure.
      common = undefined
      throw error
    })
  return common
}

/**
 * Patterns the list misses because they are too many to list: one short
 * block repeated (`aaaaaaaa`, `12341234`) or a straight run of characters
 * (`abcdefgh`, `87654321`).
 */
function isTrivialPattern(password: string) {
  if (/^(.{1,4})\1+$/su.test(password)) return true
  const codes = [...password].map((c) => c.codePointAt(0)!)
  const step = codes[1] - codes[0]
  if (Math.abs(step) !== 1) return false
  return codes.every((code, i) => i === 0 || code - codes[i - 1] === step)
}

export async function isCommonPassword(password: string) {
  const lower = password.toLowerCase()
  return isTrivialPattern(lower) || (await commonPasswords()).has(lower)
}

/**
 * Whether the password is the email address or contains its local part
 * (from 3 characters: a shorter one would refuse half the dictionary).
 */
export function containsEmail(password: string, email: string | null | undefined) {
  if (!email) return false
  const lowerPassword = password.toLowerCase()
  const lowerEmail = email.trim().toLowerCase()
  if (!lowerEmail) return false
  if (lowerPassword === lowerEmail) return true
  const local = lowerEmail.split('@')[0]
  return local.length >= 3 && lowerPassword.includes(local)
}

/** The first reason to refuse a password, or null. Length is checked apart. */
export async function passwordProblem(
  password: string,
  email?: string | null
): Promise<PasswordProblem | null> {
  if (containsEmail(password, email)) return 'passwordContainsEmail'
  if (await isCommonPassword(password)) return 'commonPassword'
  return null
}

const FALLBACK_MESSAGES: Record<PasswordProblem, string> = {
  commonPassword:
    'This password is too common: it appears in lists of leaked passwords. Choose another one, for instance a few unrelated words.',
  passwordContainsEmail: 'The password must not contain your email address.',
}

/** The refusal in the request's language (texts in resources/lang/<locale>/passwords.json). */
export function passwordProblemMessage(problem: PasswordProblem) {
  const i18n = HttpContext.get()?.i18n
  const key = `passwords.${problem}`
  if (i18n && (i18n.hasMessage(key) || i18n.hasFallbackMessage(key))) return i18n.t(key)
  return FALLBACK_MESSAGES[problem]
}

/**
 * The VineJS rule. The email the password is compared with comes from the
 * validator's metadata (`{ meta: { email } }`, the account whose password is
 * set) or, when the form itself carries it (setup), from the `email` field.
 */
export const passwordPolicyRule = vine.createRule(
  async (value: unknown, _: undefined, field: FieldContext) => {
    if (typeof value !== 'string' || !field.isValid) return
    const fromMeta = field.meta?.email
    const fromForm = field.parent?.email
    const email =
      typeof fromMeta === 'string' ? fromMeta : typeof fromForm === 'string' ? fromForm : null
    const problem = await passwordProblem(value, email)
    if (problem) field.report(passwordProblemMessage(problem), problem, field)
  }
)
