import { args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand } from '#kernel/cli/kernel_command'

/**
 * Enables a module: its pending migrations, required data and default grants.
 * Every app instance sees the change within a second, without a restart.
 */
export default class ModuleEnable extends KernelCommand {
  static commandName = 'module:enable'
  static description =
    'Enable a module (runs its migrations and seeders, grants its default permissions)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Module name' })
  declare name: string

  @flags.boolean({ description: 'Also enable the modules it depends on that are not enabled' })
  declare withDependencies: boolean

  async run() {
    await this.refusing(async () => {
      const manager = await this.moduleManager()
      if ((await manager.stateOf(this.name)) === 'enabled') {
        this.logger.info(`Module "${this.name}" is already enabled`)
        return
      }
      const enabled = await manager.enable(this.name, {
        withDependencies: this.withDependencies,
      })
      const others = enabled.filter((name) => name !== this.name)
      this.logger.success(
        others.length
          ? `Enabled "${this.name}" and its dependencies ${others.map((n) => `"${n}"`).join(', ')}`
          : `Enabled "${this.name}"`
      )
    })
  }
}
