import { args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand } from '#kernel/cli/kernel_command'

/**
 * Uninstalls a module: drops its tables and forgets its state and grants.
 * Without --force it only shows what would be dropped.
 */
export default class ModuleUninstall extends KernelCommand {
  static commandName = 'module:uninstall'
  static description =
    'Show what uninstalling a module would drop; with --force, drop its tables and data'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Module name' })
  declare name: string

  @flags.boolean({ description: 'Apply: drop the module tables and all their data' })
  declare force: boolean

  async run() {
    await this.refusing(async () => {
      const manager = await this.moduleManager()
      if ((await manager.stateOf(this.name)) === 'not_installed') {
        this.logger.info(`Module "${this.name}" is not installed: nothing to uninstall`)
        return
      }
      // Refused before the dry run too, so the plan never shows an uninstall that cannot happen.
      await manager.checkUninstall(this.name)
      const { tables } = await manager.uninstallPlan(this.name)
      const list = tables.length ? tables.join(', ') : 'none'

      if (!this.force) {
        this.logger.info(
          `Dry run: uninstalling "${this.name}" would drop ${tables.length} table(s)`
        )
        for (const table of tables) this.logger.log(`  drop table ${table}`)
        this.logger.log(`  delete its module state and its permission grants`)
        this.logger.info('Nothing was changed. Run again with --force to apply')
        return
      }
      await manager.uninstall(this.name)
      this.logger.success(`Uninstalled "${this.name}" (dropped tables: ${list})`)
    })
  }
}
