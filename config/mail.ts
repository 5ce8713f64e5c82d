import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, transports } from '@adonisjs/mail'
import type { InferMailers } from '@adonisjs/mail/types'
import { DevMailTransport } from '#kernel/mail/dev_mail_transport'

/**
 * Production sends through SMTP. Development and tests keep every mail in the
 * dev mail store, readable at /dev/mails, so links can be followed with no
 * mail server; MAIL_MAILER=smtp sends for real from a development machine.
 */
const mailConfig = defineConfig({
  default: env.get('MAIL_MAILER') ?? (app.inProduction ? 'smtp' : 'dev'),
  from: { address: env.get('MAIL_FROM') ?? 'no-reply@charpente.local', name: 'Charpente' },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST') ?? '127.0.0.1',
      port: env.get('SMTP_PORT') ?? 1025,
      auth: env.get('SMTP_USERNAME')
        ? {
            type: 'login',
            user: env.get('SMTP_USERNAME')!,
            pass: env.get('SMTP_PASSWORD') ?? '',
          }
        : undefined,
    }),
    dev: () => new DevMailTransport(),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
