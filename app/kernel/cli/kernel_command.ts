import { BaseCommand } from '@adonisjs/core/ace'
import type { ModuleManager } from '#kernel/modules/module_manager'
import { ModuleError } from '#kernel/modules/errors'

/**
 * A refusal a command explains in one line (bad input, unknown record).
 * Like a ModuleError, it is printed alone, without a stack trace.
 */
export class CommandRefusal extends Error {}

/**
 * Base of the kernel's commands. Services are imported lazily, inside run():
 * ace imports command files to list them, before the app (and its database
 * service) has booted.
 */
export abstract class KernelCommand extends BaseCommand {
  /**
   * The module manager to act on: the app's own unless a caller sets another
   * one (tests point it at fixture modules).
   */
  manager?: ModuleManager

  protected async moduleManager(): Promise<ModuleManager> {
    return this.manager ?? (await import('#kernel/modules/module_manager')).default
  }

  /**
   * Runs the command's work, printing a refusal as one error line with exit
   * code 1. Anything else is a bug and keeps its stack trace.
   */
  protected async refusing(work: () => Promise<void>) {
    try {
      await this.#ensurePrepared()
      await work()
    } catch (error) {
      if (error instanceof ModuleError || error instanceof CommandRefusal) {
        this.logger.error(error.message)
        this.exitCode = 1
        return
      }
      throw error
    }
  }

  /** A database without the kernel's tables gets advice, not an SQL error. */
  async #ensurePrepared() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    if (!(await db.connection().schema.hasTable('modules'))) {
      throw new CommandRefusal('The database is not prepared: run "node ace app:prepare" first')
    }
  }
}
