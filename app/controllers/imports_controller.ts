import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import {
  ImportConflict,
  importRows,
  importStatus,
  kindsFor,
  listImports,
  runApply,
  runCheck,
  saveMapping,
  showImport,
  startImport,
} from '#kernel/imports/imports'
import { MAX_IMPORT_BYTES } from '#kernel/imports/parse'
import { fieldError } from '#kernel/http/field_error'
import {
  importCheckValidator,
  importListValidator,
  importMappingValidator,
  importRowsValidator,
} from '#validators/imports'

function localeOf(ctx: HttpContext): 'fr' | 'en' {
  return ctx.i18n?.locale === 'en' ? 'en' : 'fr'
}

/**
 * CSV / XLSX imports, pages and API alike. The import service checks the
 * kind's permissions (403), that the import is the caller's own (404) and
 * the state it is in (409).
 */
export default class ImportsController {
  async #upload(ctx: HttpContext) {
    const file = ctx.request.file('file')
    if (!file || !file.tmpPath) {
      throw fieldError('file', ctx.i18n.t('imports.file.required'), 'required')
    }
    if (file.size > MAX_IMPORT_BYTES) {
      throw fieldError(
        'file',
        ctx.i18n.t('imports.file.too_large', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }),
        'too_large'
      )
    }
    return { bytes: await readFile(file.tmpPath), clientName: file.clientName }
  }

  /** A step the import's state refuses: back to its page with the reason. */
  async #step(ctx: HttpContext, work: () => Promise<string | null>) {
    try {
      const success = await work()
      if (success) ctx.session.flash('success', success)
    } catch (error) {
      if (!(error instanceof ImportConflict)) throw error
      ctx.session.flash('error', ctx.i18n.t(`imports.conflict.${error.reason}`))
    }
    return ctx.response.redirect(`/imports/${ctx.params.id}`)
  }

  async index(ctx: HttpContext) {
    const { cursor } = await ctx.request.validateUsing(importListValidator, {
      data: ctx.request.qs(),
    })
    return ctx.inertia.render('imports/index', {
      kinds: await kindsFor(ctx.access, localeOf(ctx)),
      imports: await listImports(ctx.access, localeOf(ctx), cursor),
    })
  }

  async upload(ctx: HttpContext) {
    const started = await startImport(
      ctx.access,
      localeOf(ctx),
      ctx.params.kind,
      await this.#upload(ctx)
    )
    return ctx.response.redirect(`/imports/${started.id}`)
  }

  async show(ctx: HttpContext) {
    const qs = await ctx.request.validateUsing(importRowsValidator, { data: ctx.request.qs() })
    const id = Number(ctx.params.id)
    const data = await showImport(ctx.access, localeOf(ctx), id)
    const rows =
      data.status === 'checked' || data.status === 'applied'
        ? await importRows(ctx.access, id, qs)
        : { data: [], nextCursor: null }
    return ctx.inertia.render('imports/show', {
      import: data,
      rows,
      filter: { action: qs.action ?? null, cursor: qs.cursor ?? null },
    })
  }

  async saveMapping(ctx: HttpContext) {
    const { mapping } = await ctx.request.validateUsing(importMappingValidator)
    return this.#step(ctx, async () => {
      await saveMapping(ctx.access, Number(ctx.params.id), mapping)
      return ctx.i18n.t('imports.mapping_saved')
    })
  }

  async check(ctx: HttpContext) {
    const options = await ctx.request.validateUsing(importCheckValidator)
    return this.#step(ctx, async () => {
      await runCheck(ctx.access, localeOf(ctx), Number(ctx.params.id), options)
      return null
    })
  }

  async apply(ctx: HttpContext) {
    return this.#step(ctx, async () => {
      const counts = await runApply(ctx.access, localeOf(ctx), Number(ctx.params.id))
      return ctx.i18n.t('imports.applied', counts)
    })
  }

  /** Polled by the page while a dry run or apply runs. */
  async status(ctx: HttpContext) {
    return { data: await importStatus(ctx.access, Number(ctx.params.id)) }
  }

  /* API */

  async apiKinds(ctx: HttpContext) {
    return { data: await kindsFor(ctx.access, localeOf(ctx)) }
  }

  async apiIndex(ctx: HttpContext) {
    const { cursor } = await ctx.request.validateUsing(importListValidator, {
      data: ctx.request.qs(),
    })
    const page = await listImports(ctx.access, localeOf(ctx), cursor)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async apiUpload(ctx: HttpContext) {
    const data = await startImport(
      ctx.access,
      localeOf(ctx),
      ctx.params.kind,
      await this.#upload(ctx)
    )
    return ctx.response.created({ data })
  }

  async apiShow(ctx: HttpContext) {
    return { data: await showImport(ctx.access, localeOf(ctx), Number(ctx.params.id)) }
  }

  async apiSaveMapping(ctx: HttpContext) {
    const { mapping } = await ctx.request.validateUsing(importMappingValidator)
    return { data: { mapping: await saveMapping(ctx.access, Number(ctx.params.id), mapping) } }
  }

  async apiCheck(ctx: HttpContext) {
    const options = await ctx.request.validateUsing(importCheckValidator)
    return { data: await runCheck(ctx.access, localeOf(ctx), Number(ctx.params.id), options) }
  }

  async apiRows(ctx: HttpContext) {
    const qs = await ctx.request.validateUsing(importRowsValidator, { data: ctx.request.qs() })
    const page = await importRows(ctx.access, Number(ctx.params.id), qs)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async apiApply(ctx: HttpContext) {
    return { data: await runApply(ctx.access, localeOf(ctx), Number(ctx.params.id)) }
  }
}
