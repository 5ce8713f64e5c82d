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
}
