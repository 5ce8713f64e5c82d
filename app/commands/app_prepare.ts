import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { ModuleError } from '#kernel/modules/errors'

/**
 * Brings the database up to date: kernel migrations, the modules' state
 * (first boot enables MODULES), and — in development, unless DEMO=false —
 * a demo company on an empty site. Safe to run at every start.
 */
export default class AppPrepare extends BaseCommand {
  static commandName = 'app:prepare'
  static description =
    'Migrate the kernel and enabled modules; seed demo data on a new development site'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Seed the demo company even outside development' })
  declare demo: boolean

  async run() {
    const { prepareDatabase } = await import('#services/prepare')
    try {
      const result = await prepareDatabase({ forceDemo: this.demo })
      for (const line of result.lines) this.logger.info(line)
    } catch (error) {
      if (error instanceof ModuleError) {
        this.logger.error(error.message)
        this.exitCode = 1
        return
      }
      throw error
    }
  }
}
