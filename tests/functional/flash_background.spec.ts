import { test } from '@japa/runner'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { CookieJar, signIn } from '#tests/helpers/browser_session'

const FETCH = { accept: 'application/json' }

/*
 * A form's field errors travel in the session's flash to the page the
 * redirect leads to. The page's own background requests (notification
 * count, live stream subscription, widgets) may reach the server in between;
 * they must leave the flash to the page.
 */
test.group('Flash messages and background requests', () => {
  test('field errors survive a background request between the redirect and the page', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)

    const refused = await jar.send(
      'post',
      '/profile/tokens',
      { name: '', abilities: ['*'], expiresIn: 30 },
      { referer: '/profile/tokens' }
    )
    refused.assertStatus(302)

    ;(await jar.get('/notifications/unread', FETCH)).assertStatus(200)
    ;(await jar.get('/dashboard/widgets', FETCH)).assertStatus(200)

    const page = CookieJar.page(await jar.get('/profile/tokens'))
    assert.property(page.props.errors, 'name')

    // Shown once: the page used them up.
    const again = CookieJar.page(await jar.get('/profile/tokens'))
    assert.notProperty(again.props.errors ?? {}, 'name')
  })

  test('a page visit uses the flash up as before', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const jar = await signIn(user.email, TEST_PASSWORD)
    await jar.send(
      'post',
      '/profile/tokens',
      { name: '', abilities: ['*'], expiresIn: 30 },
      { referer: '/profile/tokens' }
    )
    const first = CookieJar.page(await jar.get('/profile'))
    assert.property(first.props.errors, 'name')
    const page = CookieJar.page(await jar.get('/profile/tokens'))
    assert.notProperty(page.props.errors ?? {}, 'name')
  })
})
