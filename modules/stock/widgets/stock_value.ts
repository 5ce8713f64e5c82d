import type { WidgetContext } from '#kernel/modules/define_module'
import LedgerService from '../services/ledger.js'

/** KPI: the stock's value at weighted average cost, over the locations the user may see. */
export default async function stockValue({ access, locale }: WidgetContext) {
  const { totalCents } = await new LedgerService(access).valuation()
  const abs = Math.abs(totalCents)
  // A decimal string, not a float: Intl formats it exactly.
  const amount = `${totalCents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
  const euros = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', {
    style: 'currency',
    currency: 'EUR',
  }).format(amount as unknown as number)
  return { value: euros }
}
