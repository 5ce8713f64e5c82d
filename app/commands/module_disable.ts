import { args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand } from '#kernel/cli/kernel_command'

/** Disables a module. Its tables and rows stay: enabling it again brings it back as it was. */
export default class ModuleDisable extends KernelCommand {
  static commandName = 'module:disable'
  static description = 'Disable a module (its data is kept)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Module name' })
  declare name: string

  async run() {
    await this.refusing(async () => {
      const manager = await this.moduleManager()
      await manager.disable(this.name)
      this.logger.success(`Disabled "${this.name}" (its data is kept)`)
    })
  }
}
