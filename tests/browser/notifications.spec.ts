import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { notify } from '#kernel/notifications/notifications'
import { channelOf } from '#kernel/notifications/live'

/** Waits until the browser's stream has subscribed to the user's channel on this server. */
async function waitForSubscription(userId: number) {
  const transmit = await app.container.make('transmit')
  const deadline = Date.now() + 10000
  while (Date.now() < deadline) {
    if (transmit.getSubscribersFor(channelOf(userId)).length) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the page never subscribed to its notification channel')
}

test.group('Notifications in a browser', () => {
  test('the bell counts a notification as it is raised; the list shows it; marking read clears the count', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('staff')

    const violations: string[] = []
    await browserContext.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')))`,
    })
    const page = await browserContext.newPage()
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) {
        violations.push(message.text())
      }
    })
    await signIn(page, user.email)
    await page.goto('/notifications')
    await page.assertTextContains(page.locator('[data-empty]'), 'Aucune notification')
    assert.equal(await page.locator('[data-bell-count]').count(), 0)

    await waitForSubscription(user.id)
    await notify({
      type: 'kernel.workflow',
      companyId: company.id,
      recipients: [user.id],
      title: { fr: 'Devis DV-2026-00012 accepté', en: 'Quote DV-2026-00012 accepted' },
      body: { fr: 'Le client a signé.', en: 'The customer signed.' },
    })
    // Live: no reload by the test.
    await page.assertTextContains(page.locator('[data-bell-count]'), '1')
    const item = page.locator('[data-notification]').first()
    await page.assertTextContains(item, 'Devis DV-2026-00012 accepté')
    await page.assertTextContains(item, 'Le client a signé.')

    await item.getByRole('button', { name: 'Marquer comme lue' }).click()
    await page.locator('[data-notification][data-read="true"]').waitFor()
    assert.equal(await page.locator('[data-bell-count]').count(), 0)

    for (const n of [1, 2]) {
      await notify({
        type: 'kernel.workflow',
        companyId: company.id,
        recipients: [user.id],
        title: { fr: `Rappel ${n}`, en: `Reminder ${n}` },
      })
    }
    await page.assertTextContains(page.locator('[data-bell-count]'), '2')
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click()
    await page.locator('[data-notification][data-read="false"]').first().waitFor({
      state: 'detached',
    })
    assert.equal(await page.locator('[data-bell-count]').count(), 0)
    const unread = await db
      .from('notifications')
      .where('user_id', user.id)
      .whereNull('read_at')
      .count('* as n')
    assert.equal(Number(unread[0].n), 0)

    await page.getByRole('link', { name: 'Préférences de notification' }).click()
    await page.getByLabel('Workflows : notifications — Par e-mail').check()
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.assertTextContains(page.locator('body'), 'Préférences enregistrées.')
    const saved = await db
      .from('notification_preferences')
      .where('user_id', user.id)
      .where('type', 'kernel.workflow')
      .first()
    assert.isTrue(Boolean(saved?.email))

    await page.waitForTimeout(200)
    assert.deepEqual(violations, [])
  })
})
