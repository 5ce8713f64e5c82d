import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Proves the kept stock figures agree with the movement ledger: levels per
 * article × location, totals per article and weighted average costs. Exits
 * non-zero on any mismatch, listing them.
 */
export default class StockVerify extends BaseCommand {
  static commandName = 'stock:verify'
  static description =
    'Check stock levels, totals and average costs against the movement ledger (exit 1 on a mismatch)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Check one company only (its id)' })
  declare company: number

  @flags.boolean({ description: 'Print the result as JSON only' })
  declare json: boolean

  async run() {
    const { verifyLedger } = await import('../services/verify.js')
    const result = await verifyLedger(this.company || undefined)
    if (this.json) {
      this.logger.log(JSON.stringify(result, null, 2))
    } else if (result.mismatches.length === 0) {
      this.logger.success(
        `Consistent: ${result.levels} levels, ${result.articles} articles, ${result.lines} movement lines`
      )
    } else {
      for (const m of result.mismatches) {
        const where = m.locationId === undefined ? '' : ` at location ${m.locationId}`
        this.logger.error(
          `company ${m.companyId}, article ${m.articleId}${where}: ${m.kind} is ${m.found}, the ledger says ${m.expected}`
        )
      }
      this.logger.error(`${result.mismatches.length} mismatch(es)`)
    }
    if (result.mismatches.length) this.exitCode = 1
  }
}
