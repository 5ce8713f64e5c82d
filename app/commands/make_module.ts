import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { BaseCommand, args } from '@adonisjs/core/ace'
import { invalidModuleName, moduleSkeleton } from '#kernel/modules/scaffold'

/**
 * Generates a working module skeleton in modules/<name>: manifest, routes
 * with their permissions, a controller, model and migration, a page,
 * translations, a README and a passing functional test.
 */
export default class MakeModule extends BaseCommand {
  static commandName = 'make:module'
  static description = 'Create a new module skeleton in modules/<name>'

  @args.string({ description: 'Module name: lowercase letters, digits, "-" or "_"' })
  declare name: string

  /** Where modules live; tests generate elsewhere. */
  modulesRoot?: string

  async run() {
    const root = this.modulesRoot ?? this.app.makePath('modules')
    const folder = join(root, this.name)
    const shown = relative(this.app.makePath(), folder) || folder
    const invalid = invalidModuleName(this.name)
    if (invalid) return this.#refuse(invalid)
    if (existsSync(folder))
      return this.#refuse(`Cannot create module "${this.name}": ${shown} already exists`)

    const files = moduleSkeleton(this.name)
    for (const [path, contents] of Object.entries(files)) {
      const file = join(folder, path)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, await this.#format(file, contents), { flag: 'wx' })
      this.logger.action(`create ${relative(this.app.makePath(), file) || file}`).succeeded()
    }
    this.logger.success(`Created module "${this.name}" in ${shown}`)
    this.logger.info(
      `Next: node ace module:enable ${this.name}, restart the app, open /${this.name}`
    )
  }

  /**
   * Formats a generated file with the project's Prettier settings (line
   * widths depend on the module's name). Prettier is a development tool: when
   * it is absent, or has no parser for the file, the file is written as is.
   */
  async #format(file: string, contents: string) {
    try {
      const prettier = await import('prettier')
      const options = (await prettier.resolveConfig(file)) ?? {}
      return await prettier.format(contents, { ...options, filepath: file })
    } catch {
      return contents
    }
  }

  #refuse(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
