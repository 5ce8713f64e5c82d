import mail from '@adonisjs/mail/services/main'
import i18nManager from '@adonisjs/i18n/services/main'
import { appUrl } from '#config/app'
import { TOKEN_LIFETIME } from '#kernel/users/tokens'

function escape(text: string) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  )
}

/** A mail with one call to action, as HTML and plain text. */
async function sendActionMail(options: {
  to: string
  locale: string
  subject: string
  body: string
  action: string
  url: string
}) {
  const html = `<!DOCTYPE html>
<html lang="${escape(options.locale)}"><body style="font-family: sans-serif; color: #0f172a; max-width: 560px; margin: auto; padding: 24px">
<p>${escape(options.body)}</p>
<p><a href="${escape(options.url)}" style="display: inline-block; background: #1d4ed8; color: #fff; padding: 10px 16px; border-radius: 6px; text-decoration: none">${escape(options.action)}</a></p>
<p style="font-size: 12px; color: #64748b">${escape(options.url)}</p>
</body></html>`
  const text = `${options.body}\n\n${options.action}: ${options.url}\n`
  await mail.send((message) => {
    message.to(options.to).subject(options.subject).html(html).text(text)
  })
}

/** The recipient's language, falling back to French. */
function translator(locale: string) {
  return i18nManager.locale(['fr', 'en'].includes(locale) ? locale : 'fr')
}

export async function sendInvitationMail(options: {
  to: string
  locale: string
  secret: string
  company: string
  inviter: string
}) {
  const t = translator(options.locale)
  const values = {
    company: options.company,
    inviter: options.inviter,
    hours: TOKEN_LIFETIME.invite.hours,
  }
  await sendActionMail({
    to: options.to,
    locale: options.locale,
    subject: t.t('users.mail_invite_subject', values),
    body: t.t('users.mail_invite_body', values),
    action: t.t('users.mail_invite_action'),
    url: `${appUrl}/password/invite/${options.secret}`,
  })
}

export async function sendResetMail(options: { to: string; locale: string; secret: string }) {
  const t = translator(options.locale)
  const values = { hours: TOKEN_LIFETIME.reset.hours }
  await sendActionMail({
    to: options.to,
    locale: options.locale,
    subject: t.t('users.mail_reset_subject', values),
    body: t.t('users.mail_reset_body', values),
    action: t.t('users.mail_reset_action'),
    url: `${appUrl}/password/reset/${options.secret}`,
  })
}
