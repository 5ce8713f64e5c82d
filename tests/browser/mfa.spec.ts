import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { codeAt, currentStep, nextCodeFor } from '#tests/helpers/mfa'

test.group('Two-step sign-in in a browser', () => {
  test('an admin enrols at first sign-in, then signs out and back in with a code', async ({
    browserContext,
    assert,
  }) => {
    const { user } = await companyWithUser('admin', { mfa: false })
    const page = await browserContext.newPage()

    await page.goto('/login')
    await page.getByLabel('Adresse e-mail').fill(user.email)
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()

    // The admin role requires MFA: every page leads to enrolment.
    await page.waitForURL('/profile/security')
    await page.assertVisible(
      page.getByRole('alert').filter({ hasText: 'Votre rôle exige la connexion en deux étapes' })
    )
    await page.goto('/settings/roles')
    await page.waitForURL('/profile/security')
    await page.assertVisible(page.getByRole('img', { name: 'QR code à scanner' }))
    await page.assertVisible(page.getByTestId('enrolment').locator('svg'))

    // Read the secret as a person would type it into their app.
    const secret = (await page.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)

    await page.getByLabel('Code de l’application').fill('000000')
    await page.getByRole('button', { name: 'Activer' }).click()
    await page.assertVisible(page.getByText('Ce code est erroné, expiré ou déjà utilisé'))

    await page.getByLabel('Code de l’application').fill(codeAt(secret, currentStep()))
    await page.getByRole('button', { name: 'Activer' }).click()
    const codes = page.getByTestId('recovery-codes')
    await page.assertVisible(codes)
    await page.assertElementsCount(codes.locator('[data-recovery-code]'), 10)
    await page.assertVisible(
      page.getByText('La connexion en deux étapes est activée', { exact: false }).first()
    )
    const row = await db.from('user_mfa').where('user_id', user.id).first()
    assert.isNotNull(row.enabled_at)

    // The other pages open now; the profile links to the security page.
    await page.goto('/profile')
    await page.getByTestId('mfa-link').click()
    await page.waitForURL('/profile/security')
    await page.assertVisible(page.getByTestId('mfa-status'))
    await page.assertNotExists(page.getByTestId('mfa-secret'))
    await page.assertVisible(page.getByTestId('mfa-required'))

    // Sign out, then in again: the password alone is not enough.
    await page.getByRole('button', { name: user.fullName! }).click()
    await page.getByRole('menuitem', { name: 'Se déconnecter' }).click()
    await page.waitForURL('/login')
    await page.getByLabel('Adresse e-mail').fill(user.email)
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    await page.waitForURL('/login/mfa')
    await page.assertVisible(page.getByRole('heading', { name: 'Connexion en deux étapes' }))

    await page.getByLabel('Code', { exact: true }).fill(await nextCodeFor(user.id))
    await page.getByRole('button', { name: 'Valider' }).click()
    await page.waitForURL('/')
    await page.assertVisible(page.getByRole('heading', { name: 'Tableau de bord' }))
  }).timeout(120_000)
})
