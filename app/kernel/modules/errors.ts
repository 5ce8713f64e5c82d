/**
 * A refusal of the module system: one line that says which module and why.
 * Commands and the boot print the message alone, never a stack trace.
 */
export class ModuleError extends Error {
  code = 'E_CHARPENTE_MODULE'
  constructor(message: string) {
    super(message)
    this.name = 'ModuleError'
  }

  /**
   * Ace renders a self-handled error with this method instead of a stack
   * trace. It covers refusals raised before a command runs, such as an
   * invalid manifest found while the app boots for `node ace <command>`.
   */
  render(error: ModuleError, kernel: { ui: { logger: { error(message: string): void } } }) {
    kernel.ui.logger.error(error.message)
  }
}
