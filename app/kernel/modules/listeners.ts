import type { EmitterService } from '@adonisjs/core/types'
import type { ModuleRegistry } from './registry.js'
import type { ModuleManager } from './module_manager.js'

/**
 * Subscribes the listeners every module declares, once, at boot. Each call
 * first asks whether its module is enabled right now: a disabled module's
 * listeners stay silent, and wake up again when it is re-enabled.
 */
export function wireListeners(
  registry: ModuleRegistry,
  manager: ModuleManager,
  emitter: Pick<EmitterService, 'on'>
) {
  for (const manifest of registry.all()) {
    for (const listener of manifest.listeners ?? []) {
      emitter.on(listener.event as any, async (payload: unknown) => {
        if (await manager.isEnabled(manifest.name)) await listener.handle(payload)
      })
    }
  }
}
