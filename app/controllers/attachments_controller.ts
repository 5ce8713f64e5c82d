import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import {
  addAttachment,
  contentDisposition,
  listAttachments,
  readAttachment,
  readThumbnail,
  removeAttachment,
  type UploadedFile,
} from '#kernel/attachments/attachments'
import { fieldError } from '#kernel/http/field_error'

/**
 * Files attached to module records, for pages and the API. Each action goes
 * through the attachments service, which checks the record's permission and
 * scope (403 / 404) before anything else.
 */
export default class AttachmentsController {
  /** The uploaded file of the request, read from its temporary file. */
  async #upload({ request, i18n }: HttpContext): Promise<UploadedFile> {
    const file = request.file('file')
    if (!file || !file.tmpPath) {
      throw fieldError('file', i18n.t('attachments.required'), 'required')
    }
    if (file.hasErrors) {
      throw fieldError('file', file.errors[0]?.message ?? 'Invalid file', 'file')
    }
    return { bytes: await readFile(file.tmpPath), clientName: file.clientName }
  }

  #encrypt({ request }: HttpContext) {
    return [true, 'true', '1', 'on'].includes(request.input('encrypt'))
  }

  /** The list, as JSON (pages load it into the record's Attachments section). */
  async index({ access, params }: HttpContext) {
    return { data: await listAttachments(access, params.model, params.recordId) }
  }

  async store(ctx: HttpContext) {
    const { access, params, session, response, i18n } = ctx
    const upload = await this.#upload(ctx)
    await addAttachment(access, params.model, params.recordId, upload, {
      encrypt: this.#encrypt(ctx),
    })
    session.flash('success', i18n.t('attachments.added'))
    return response.redirect().back()
  }

  async apiStore(ctx: HttpContext) {
    const { access, params, response } = ctx
    const upload = await this.#upload(ctx)
    const data = await addAttachment(access, params.model, params.recordId, upload, {
      encrypt: this.#encrypt(ctx),
    })
    return response.created({ data })
  }

  /** The file, as a download: never rendered inline, never sniffed. */
  async download({ access, params, response }: HttpContext) {
    const { attachment, bytes } = await readAttachment(access, params.id)
    response.header('Content-Type', attachment.mime)
    response.header('Content-Disposition', contentDisposition(attachment.name))
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('Cache-Control', 'private, no-store')
    response.header('Content-Security-Policy', "default-src 'none'; sandbox")
    return response.send(bytes)
  }

  /** An image's thumbnail, shown inline in the record's page (a WebP the server made). */
  async thumbnail({ access, params, response }: HttpContext) {
    const bytes = await readThumbnail(access, params.id)
    if (!bytes) return response.notFound({ errors: [{ message: 'No thumbnail' }] })
    response.header('Content-Type', 'image/webp')
    response.header('Content-Disposition', 'inline; filename="thumbnail.webp"')
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('Cache-Control', 'private, max-age=300')
    response.header('Content-Security-Policy', "default-src 'none'; sandbox")
    return response.send(bytes)
  }

  async destroy({ access, params, session, response, i18n }: HttpContext) {
    await removeAttachment(access, params.id)
    session.flash('success', i18n.t('attachments.removed'))
    return response.redirect().back()
  }

  async apiDestroy({ access, params }: HttpContext) {
    return { data: await removeAttachment(access, params.id) }
  }
}
