import type { ApplicationService } from '@adonisjs/core/types'
import registry from '#kernel/modules/registry'

/**
 * Discovers and validates every module on disk at boot, and wires the
 * listeners of all of them; a listener of a disabled module stays silent.
 */
export default class ModulesProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    await registry.discover()
    const emitter = await this.app.container.make('emitter')
    const { default: moduleManager } = await import('#kernel/modules/module_manager')
    for (const manifest of registry.all()) {
      for (const listener of manifest.listeners ?? []) {
        emitter.on(listener.event as any, async (payload: unknown) => {
          if (await moduleManager.isEnabled(manifest.name)) await listener.handle(payload)
        })
      }
    }
  }
}
