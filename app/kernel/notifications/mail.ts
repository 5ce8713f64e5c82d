import mail from '@adonisjs/mail/services/main'
import i18nManager from '@adonisjs/i18n/services/main'
import { appUrl } from '#config/app'

function escape(text: string) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  )
}

/**
 * A notification as a mail, in the recipient's language: HTML and plain
 * text, the notification's title as the subject, its text, and a link to
 * what it is about (or to the notification centre).
 */
export async function sendNotificationMail(
  to: { email: string; locale: string },
  content: { title: string; body: string | null; link: string | null }
) {
  const locale = to.locale === 'en' ? 'en' : 'fr'
  const t = i18nManager.locale(locale)
  const url = `${appUrl}${content.link ?? '/notifications'}`
  const action = t.t(content.link ? 'notifications.mail_open' : 'notifications.mail_centre')
  const footer = t.t('notifications.mail_footer', { url: `${appUrl}/profile/notifications` })
  const html = `<!DOCTYPE html>
<html lang="${locale}"><body style="font-family: sans-serif; color: #0f172a; max-width: 560px; margin: auto; padding: 24px">
<h1 style="font-size: 18px">${escape(content.title)}</h1>
${content.body ? `<p>${escape(content.body)}</p>` : ''}
<p><a href="${escape(url)}" style="display: inline-block; background: #1d4ed8; color: #fff; padding: 10px 16px; border-radius: 6px; text-decoration: none">${escape(action)}</a></p>
<p style="font-size: 12px; color: #64748b">${escape(footer)}</p>
</body></html>`
  const text = [content.title, content.body, `${action}: ${url}`, footer]
    .filter(Boolean)
    .join('\n\n')
  await mail.send((message) => {
    message.to(to.email).subject(content.title).html(html).text(`${text}\n`)
  })
}
