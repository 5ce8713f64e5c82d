import { createTransport } from 'nodemailer'
import db from '@adonisjs/lucid/services/db'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'
import { dbNow } from '#kernel/db/timestamp'

/**
 * Keeps mails in the `dev_mails` table instead of sending them, for
 * development and tests: /dev/mails lists them, so the links they carry can
 * be followed without a mail server. Never the default in production.
 */
export class DevMailTransport implements MailTransportContract {
  #json = createTransport({ jsonTransport: true })

  async send(message: NodeMailerMessage) {
    const info = await this.#json.sendMail(message)
    const parsed = JSON.parse(info.message as unknown as string) as {
      subject?: string
      html?: string
      text?: string
    }
    await db.table('dev_mails').insert({
      to: info.envelope.to.join(', '),
      from: info.envelope.from || '',
      subject: parsed.subject ?? '',
      html: parsed.html ?? null,
      text: parsed.text ?? null,
      created_at: dbNow(),
    })
    return new MailResponse(info.messageId, info.envelope, info)
  }
}
