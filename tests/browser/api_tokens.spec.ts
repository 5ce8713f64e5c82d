import { test } from '@japa/runner'
import { companyWithUser } from '#tests/helpers/fixtures'
import { baseUrl } from '#tests/helpers/browser'
import { signIn } from '#tests/helpers/sign_in_page'

/** Calls the API with a Bearer token, as a script would. */
async function me(secret: string) {
  const response = await fetch(`${baseUrl}/api/v1/me`, {
    headers: { authorization: `Bearer ${secret}` },
  })
  const body = response.ok ? ((await response.json()) as { data: { permissions: string[] } }) : null
  return { status: response.status, body }
}

test.group('API tokens in a browser', () => {
  test('from the profile: create a read-only token, copy its secret once, revoke it', async ({
    browserContext,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const page = await browserContext.newPage()
    await signIn(page, user.email)

    await page.goto('/profile')
    await page.getByRole('link', { name: 'Gérer mes jetons' }).click()
    await page.waitForURL('/profile/tokens')
    await page.assertVisible(page.getByText('Aucun jeton.'))

    // The form refuses a token without a name, on the page.
    await page.getByRole('button', { name: 'Créer le jeton' }).click()
    await page.assertVisible(page.locator('[data-error-for="token-name"]'))

    await page.getByLabel('Nom', { exact: true }).fill('Export tableur')
    await page.getByLabel('Seulement celles-ci :').check()
    await page.getByLabel('Voir les contacts').check()
    await page.getByLabel('Expiration').selectOption({ label: '30 jours' })
    await page.getByRole('button', { name: 'Créer le jeton' }).click()

    const shown = page.getByTestId('token-secret')
    await page.assertVisible(shown)
    const secret = await shown.locator('input').inputValue()
    assert.match(secret, /^cpt_\S+$/)
    const used = await me(secret)
    assert.equal(used.status, 200)
    assert.deepEqual(used.body?.data.permissions, ['contacts.contact.read'])

    const listed = page.locator('[data-token="Export tableur"]')
    await page.assertTextContains(listed, 'Voir les contacts')

    // Shown once: a reload no longer carries it.
    await page.reload()
    await page.assertNotExists(page.getByTestId('token-secret'))
    await page.assertTextContains(listed, 'Export tableur')

    page.once('dialog', (dialog) => dialog.accept())
    await listed.getByRole('button', { name: 'Révoquer' }).click()
    await page.assertVisible(page.getByText('Jeton révoqué'))
    await page.assertNotExists(listed)
    assert.equal((await me(secret)).status, 401)
  })
})
