import { flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand } from '#kernel/cli/kernel_command'

/**
 * Lists every module on disk with its state in this site's database. With
 * --json, stdout carries the JSON array alone, for scripts.
 */
export default class ModuleList extends KernelCommand {
  static commandName = 'module:list'
  static description =
    'List the modules on disk: version, state (enabled, disabled, not_installed), dependencies'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print a JSON array only (machine readable)' })
  declare json: boolean

  async run() {
    await this.refusing(async () => {
      const manager = await this.moduleManager()
      const modules = (await manager.status()).map((status) => ({
        name: status.name,
        version: status.version,
        installedVersion: status.installedVersion,
        state: status.state,
        depends: status.depends,
        integrates: [...(manager.registry.get(status.name).integrates ?? [])],
        dependents: status.dependents,
        label: status.label,
      }))
      if (this.json) {
        this.logger.log(JSON.stringify(modules, null, 2))
        return
      }
      if (modules.length === 0) {
        this.logger.info('No module on disk (modules/<name>/module.ts)')
        return
      }
      const paint = {
        enabled: (text: string) => this.colors.green(text),
        disabled: (text: string) => this.colors.yellow(text),
        not_installed: (text: string) => this.colors.dim(text),
      }
      const table = this.ui.table()
      table.head(['Name', 'Version', 'State', 'Depends on'])
      for (const m of modules) {
        // The code may be newer than the installed copy until the next enable or start.
        const version =
          m.installedVersion && m.installedVersion !== m.version
            ? `${m.version} (installed ${m.installedVersion})`
            : m.version
        table.row([m.name, version, paint[m.state](m.state), m.depends.join(', ') || '-'])
      }
      table.render()
    })
  }
}
