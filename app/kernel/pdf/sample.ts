import { DateTime } from 'luxon'
import i18nManager from '@adonisjs/i18n/services/main'
import Company from '#models/company'
import { documentLocale, formatDate, formatMoney } from './format.js'
import { renderDocument } from './render.js'

/** Enough lines for the table to run over three A4 pages. */
export const SAMPLE_LINES = 90

/**
 * A sample document in the company's document language, so an admin can see
 * their letterhead, legal footer and a table running over several pages.
 */
export async function renderLetterheadSample(companyId: number) {
  const company = await Company.findOrFail(companyId)
  const locale = documentLocale(company.locale)
  const t = (key: string, data?: Record<string, unknown>) =>
    i18nManager.locale(locale).t(`pdf.sample.${key}`, data)

  const rows = Array.from({ length: SAMPLE_LINES }, (_, i) => {
    const n = i + 1
    const quantity = 1000 + ((n * 750) % 24_000) // thousandths: 1 to 25
    const unitPrice = 1_850 + ((n * 1_337) % 9_000) // cents
    // Rounded half away from zero to the cent, line by line.
    const amount = Math.round((quantity * unitPrice) / 1000)
    return { designation: t('line', { n }), quantity, unit: 'm²', unitPrice, amount }
  })
  const totalExcl = rows.reduce((sum, r) => sum + r.amount, 0)
  const vat = Math.round(totalExcl * 0.2)

  const pdf = await renderDocument({
    companyId,
    locale,
    title: t('title'),
    meta: [
      { label: t('number'), value: 'EX-0001' },
      { label: t('date'), value: formatDate(DateTime.now(), company.timezone) },
      { label: t('client'), value: t('client_name') },
    ],
    blocks: [
      { type: 'heading', text: t('intro_heading') },
      { type: 'paragraph', text: t('intro', { amount: formatMoney(123_450, locale) }) },
      { type: 'heading', text: t('lines_heading'), level: 2 },
      {
        type: 'table',
        columns: [
          { key: 'designation', label: t('designation') },
          { key: 'quantity', label: t('quantity'), kind: 'quantity', width: 40 },
          { key: 'unit', label: t('unit'), width: 36 },
          { key: 'unitPrice', label: t('unit_price'), kind: 'money', width: 80 },
          { key: 'amount', label: t('amount'), kind: 'money', width: 80 },
        ],
        rows,
      },
      {
        type: 'totals',
        items: [
          { label: t('total_excl'), cents: totalExcl },
          { label: t('vat_total'), cents: vat },
          { label: t('total_incl'), cents: totalExcl + vat, emphasis: true },
        ],
      },
    ],
  })
  return { pdf, filename: t('filename') }
}
