import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'

/**
 * The mails the application kept instead of sending (development and tests),
 * so their links can be followed without a mail server. The routes are only
 * registered outside production, and answer 404 there all the same.
 */
export default class DevMailsController {
  #guard() {
    if (app.inProduction) throw new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
  }

  async index({ inertia }: HttpContext) {
    this.#guard()
    const mails = await db
      .from('dev_mails')
      .orderBy('id', 'desc')
      .limit(100)
      .select('id', 'to', 'subject', 'created_at')
    return inertia.render('dev/mails', {
      mails: mails.map((m) => ({
        id: m.id as number,
        to: m.to as string,
        subject: m.subject as string,
        createdAt: String(m.created_at),
      })),
      mail: null,
    })
  }

  async show({ inertia, params }: HttpContext) {
    this.#guard()
    const mail = await db
      .from('dev_mails')
      .where('id', Number(params.id) || 0)
      .first()
    if (!mail) throw new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
    return inertia.render('dev/mails', {
      mails: [],
      mail: {
        id: mail.id as number,
        to: mail.to as string,
        from: mail.from as string,
        subject: mail.subject as string,
        html: (mail.html as string | null) ?? null,
        text: (mail.text as string | null) ?? null,
        createdAt: String(mail.created_at),
      },
    })
  }

  /** The HTML body alone, for the viewer's sandboxed frame. */
  async html({ params, response }: HttpContext) {
    this.#guard()
    const mail = await db
      .from('dev_mails')
      .where('id', Number(params.id) || 0)
      .first()
    if (!mail?.html) throw new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
    response.header('Content-Type', 'text/html; charset=utf-8')
    // Shown in a frame of the mail page only, sandboxed: no script runs, links open on top.
    response.header('X-Frame-Options', 'SAMEORIGIN')
    response.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
    )
    // Links open in the window, not in the frame (the app refuses to be framed).
    return `<base target="_top">${mail.html as string}`
  }
}
