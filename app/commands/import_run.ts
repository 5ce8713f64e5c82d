import { args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand, CommandRefusal } from '#kernel/cli/kernel_command'

/**
 * Imports a CSV or XLSX file with a module's import kind, as a member of a
 * company (its permissions and scopes apply): dry run first, then — unless
 * --dry-run or a row is refused — everything in one transaction. Progress is
 * a bar on a terminal, a line every tenth otherwise (logs, scripts, tests).
 */
export default class ImportRun extends KernelCommand {
  static commandName = 'import:run'
  static description = 'Import a CSV or XLSX file (dry run, then one transaction)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Import kind, e.g. contacts.contacts' })
  declare kind: string

  @args.string({ description: 'Path of the CSV or XLSX file' })
  declare file: string

  @flags.string({ description: 'Company name or id (needed when the site has several)' })
  declare company?: string

  @flags.string({
    description: 'Email of the member the import runs as (default: an admin of the company)',
  })
  declare as?: string

  @flags.boolean({ description: 'Check every row and print the report; write nothing' })
  declare dryRun?: boolean

  @flags.string({
    description:
      'Columns for fields, "field=Column title,field2=Other" or JSON (default: guessed from the headers)',
  })
  declare mapping?: string

  @flags.string({ description: 'Language of the messages, fr or en', default: 'fr' })
  declare locale: string

  async run() {
    await this.refusing(async () => {
      const { readFile } = await import('node:fs/promises')
      const { default: db } = await import('@adonisjs/lucid/services/db')
      const { resolveAccess } = await import('#kernel/security/access')
      const { default: moduleManager } = await import('#kernel/modules/module_manager')
      const pipeline = await import('#kernel/imports/pipeline')
      const { parseImportFile, ImportFileError } = await import('#kernel/imports/parse')
      const { guessMapping, usableMapping, parseMappingOption } =
        await import('#kernel/imports/mapping')

      const kind = pipeline.findImportKind(this.kind)
      if (!kind) {
        const known = pipeline.importKinds().map((k) => k.kind)
        throw new CommandRefusal(
          `Unknown import kind "${this.kind}" (${known.join(', ') || 'none'})`
        )
      }
      if (!(await moduleManager.isEnabled(kind.module))) {
        throw new CommandRefusal(`Module "${kind.module}" is not enabled`)
      }
      const locale = this.locale === 'en' ? 'en' : 'fr'

      const companies = await db.from('companies').select('id', 'name').orderBy('id')
      const company = this.company
        ? companies.find((c) => String(c.id) === this.company || c.name === this.company)
        : companies.length === 1
          ? companies[0]
          : undefined
      if (!company) {
        throw new CommandRefusal(
          this.company
            ? `No company "${this.company}"`
            : `Name the company with --company (${companies.map((c) => c.name).join(', ')})`
        )
      }
      const member = this.as
        ? await db
            .from('users')
            .join('company_users', 'company_users.user_id', 'users.id')
            .where('company_users.company_id', company.id)
            .where('users.email', this.as.trim().toLowerCase())
            .select('users.id')
            .first()
        : await db
            .from('company_users')
            .join('roles', 'roles.id', 'company_users.role_id')
            .join('users', 'users.id', 'company_users.user_id')
            .where('company_users.company_id', company.id)
            .where('roles.key', 'admin')
            .where('users.is_active', true)
            .orderBy('users.id')
            .select('users.id')
            .first()
      if (!member) {
        throw new CommandRefusal(
          this.as
            ? `"${this.as}" is not a member of ${company.name}`
            : `${company.name} has no admin`
        )
      }
      const access = await resolveAccess(member.id, company.id)
      if (!access || !pipeline.mayImport(access, kind.declaration)) {
        throw new CommandRefusal(`This member may not run the "${kind.kind}" import`)
      }

      let bytes: Buffer
      try {
        bytes = await readFile(this.file)
      } catch {
        throw new CommandRefusal(`Cannot read ${this.file}`)
      }
      const ctx = pipeline.importContext(access, locale)
      let table
      try {
        table = await parseImportFile(bytes)
      } catch (error) {
        if (error instanceof ImportFileError) {
          throw new CommandRefusal(ctx.t(`imports.file.${error.reason}`, error.data))
        }
        throw error
      }
      const fields = kind.declaration.fields
      const mapping = this.mapping
        ? usableMapping(fields, table.headers, parseMappingOption(this.mapping))
        : guessMapping(fields, table.headers)
      this.logger.info(
        `${table.rows.length} rows (${table.format}${table.encoding ? `, ${table.encoding}, "${table.delimiter === '\t' ? 'tab' : table.delimiter}"` : ''}); columns: ${
          Object.entries(mapping)
            .map(([field, title]) => `${title} → ${field}`)
            .join(', ') || 'none recognised'
        }`
      )

      const { default: handler } = await kind.declaration.load()
      const bar = this.#progress()
      const report = await pipeline.checkImport(ctx, kind, handler, table, mapping, {
        progress: bar,
      })
      const { counts } = report
      this.logger.info(
        `Dry run: ${counts.create} to create, ${counts.update} to update, ${counts.refuse} refused`
      )
      for (const row of report.rows.filter((r) => r.action === 'refuse').slice(0, 50)) {
        this.logger.warning(
          `line ${row.line}: ${row.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`
        )
      }
      if (counts.refuse > 50) this.logger.warning(`… and ${counts.refuse - 50} more refused rows`)
      if (this.dryRun) return
      if (counts.refuse) {
        throw new CommandRefusal('Nothing imported: fix or remove the refused rows, then run again')
      }
      await pipeline.applyImport(ctx, kind, handler, report, {
        progress: bar,
        meta: { file: this.file.split('/').pop(), source: 'cli' },
        actor: { actorId: access.userId, companyId: access.companyId },
      })
      this.logger.success(`Imported: ${counts.create} created, ${counts.update} updated`)
    })
  }

  /** A progress bar on a terminal; elsewhere a line at every tenth of the work. */
  #progress() {
    const tty = process.stdout.isTTY
    let lastTenth = -1
    let lastPhase = ''
    return (phase: string, done: number, total: number) => {
      const ratio = total ? done / total : 1
      if (tty) {
        const width = 30
        const filled = Math.round(ratio * width)
        process.stdout.write(
          `\r${phase === 'check' ? 'Checking' : 'Importing'} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`
        )
        if (done === total) process.stdout.write('\n')
        return
      }
      const tenth = Math.floor(ratio * 10)
      if (phase !== lastPhase || tenth !== lastTenth) {
        lastPhase = phase
        lastTenth = tenth
        process.stdout.write(`progress ${phase} ${done}/${total}\n`)
      }
    }
  }
}
