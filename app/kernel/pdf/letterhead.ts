import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import type Company from '#models/company'
import { formatCompanyId, formatMoney, type DocumentLocale } from './format.js'

/** What a company prints at the top and the bottom of its documents. */
export interface Letterhead {
  name: string
  /** Address and contact lines under the name */
  lines: string[]
  /** SIRET and VAT number under the address */
  identity: string
  /** The legal mentions printed at the bottom of every page */
  footer: string[]
  /** The logo as a data URL (PNG or JPEG), or null */
  logo: string | null
  timezone: string
}

/*
 * The PDF engine embeds PNG and JPEG. A WebP logo (accepted by the profile
 * page) is left out of documents rather than converted: converting would need
 * a native image library, and production must run on `npm ci` alone.
 */
const EMBEDDABLE: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg' }

async function logoOf(company: Company) {
  if (!company.logoPath) return null
  const ext = company.logoPath.split('.').pop()!
  const type = EMBEDDABLE[ext]
  if (!type) return null
  try {
    const bytes = await readFile(app.makePath('storage', 'logos', company.logoPath))
    return `data:${type};base64,${bytes.toString('base64')}`
  } catch {
    // A logo recorded but missing on this disk: print the document without it.
    return null
  }
}

/** `Lyon 732 829 320` → `RCS Lyon 732 829 320`; kept as typed when it names its register. */
function registry(rcs: string) {
  return /^(RCS|RM|RCS\/RM)\b/i.test(rcs.trim()) ? rcs.trim() : `RCS ${rcs.trim()}`
}

export async function letterheadOf(
  company: Company,
  locale: DocumentLocale,
  options: { decennialInsurance?: boolean } = {}
): Promise<Letterhead> {
  const i18n = i18nManager.locale(locale)
  const t = (key: string, data: Record<string, string>) => i18n.t(`pdf.${key}`, data)
  const legalName = company.legalName || company.name

  const cityLine = [company.postalCode, company.city].filter(Boolean).join(' ')
  const address = [company.addressLine1, company.addressLine2, cityLine].filter(Boolean) as string[]
  const contact = [company.phone ? t('phone', { value: company.phone }) : null, company.email]
    .filter(Boolean)
    .join(' · ')

  const identity = [
    company.siret
      ? t('siret', { value: formatCompanyId(company.siret) })
      : company.siren
        ? t('siren', { value: formatCompanyId(company.siren) })
        : null,
    company.vatNumber ? t('vat_short', { value: company.vatNumber }) : null,
  ]
    .filter(Boolean)
    .join(' · ')

  // Code de commerce R123-237 and CGI art. 242 nonies A: name, legal form and
  // capital, the register and its city, SIRET and VAT number.
  const capital = company.capitalCents !== null ? formatMoney(company.capitalCents, locale) : null
  const legal = [
    legalName,
    capital && company.legalForm
      ? t('capital_with_form', { form: company.legalForm, capital })
      : capital
        ? t('capital', { capital })
        : company.legalForm,
    company.rcs ? registry(company.rcs) : null,
    company.siret ? t('siret', { value: formatCompanyId(company.siret) }) : null,
    company.vatNumber ? t('vat', { value: company.vatNumber }) : null,
  ].filter(Boolean)

  const footer = [legal.join(' · '), address.join(', ')].filter(Boolean)
  if ((options.decennialInsurance ?? true) && company.decennialInsurance) {
    footer.push(t('decennial_insurance', { value: company.decennialInsurance }))
  }

  return {
    name: company.name,
    lines: [...address, contact].filter(Boolean),
    identity,
    footer,
    logo: await logoOf(company),
    timezone: company.timezone,
  }
}
