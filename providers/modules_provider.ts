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
    const { wireListeners } = await import('#kernel/modules/listeners')
    wireListeners(registry, moduleManager, emitter)
  }

  /** With Redis configured, enabling or disabling reaches every instance at once. */
  async ready() {
    const { redisEnabled } = await import('#config/redis')
    if (!redisEnabled) return
    const { default: redis } = await import('@adonisjs/redis/services/main')
    const { default: moduleManager } = await import('#kernel/modules/module_manager')
    moduleManager.announceChangesWith(() => {
      redis.publish(MODULES_CHANNEL, String(process.pid)).catch(() => {})
    })
    // Only long-running processes listen; a command exits when done.
    if (this.app.getEnvironment() === 'web') {
      redis.subscribe(MODULES_CHANNEL, () => moduleManager.forget())
      this.#subscribed = true
    }
  }

  #subscribed = false

  /** A subscriber connection would otherwise keep the process alive after SIGTERM. */
  async shutdown() {
    if (!this.#subscribed) return
    const { default: redis } = await import('@adonisjs/redis/services/main')
    await redis.unsubscribe(MODULES_CHANNEL)
    await redis.connection().disconnect()
  }
}

const MODULES_CHANNEL = 'modules:changed'
