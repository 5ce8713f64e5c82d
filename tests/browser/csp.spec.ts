import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { BrowserContext, Page } from 'playwright'
import { companyWithUser } from '#tests/helpers/fixtures'
import { routeTable } from '#kernel/api/route_table'
import { startIsolatedSite, freePort } from '#tests/helpers/isolated_site'
import { signIn } from '#tests/helpers/sign_in_page'

/**
 * The Content-Security-Policy in a real browser: every page renders, runs its
 * scripts and applies its styles with no violation reported, so the policy
 * neither breaks the application nor needs loosening.
 */

interface Violation {
  page: string
  text: string
}

/**
 * Collects what the browser reports: the console's "Refused to …" lines and
 * the securitypolicyviolation events of every frame.
 */
async function watch(context: BrowserContext) {
  const violations: Violation[] = []
  // Code that runs in the page is given as text: the project's TypeScript has no DOM types.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')))`,
  })
  const page = await context.newPage()
  page.on('console', (message) => {
    const text = message.text()
    if (/Content Security Policy|CSP violation/i.test(text)) {
      violations.push({ page: page.url(), text })
    }
  })
  return { page, violations }
}

/** Whether Tailwind's stylesheet applies: bg-slate-50 on the body instead of no background. */
async function styled(page: Page) {
  const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
  return background !== 'rgba(0, 0, 0, 0)'
}

test.group('Content-Security-Policy in a browser', () => {
  test('the collector sees a violation: an inline script without the nonce is blocked', async ({
    browserContext,
    assert,
  }) => {
    const { page, violations } = await watch(browserContext)
    const response = await page.goto('/login')
    const policy = response!.headers()['content-security-policy']
    assert.match(policy, /script-src 'self' 'nonce-[\w-]+'/)
    await page.evaluate(`{
      const script = document.createElement('script')
      script.textContent = 'window.inlineRan = true'
      document.head.append(script)
    }`)
    await page.waitForTimeout(200)
    assert.isUndefined(await page.evaluate('window.inlineRan'))
    assert.isAbove(violations.length, 0)
  })

  test('pages render, hydrate and are styled without any violation', async ({
    browserContext,
    assert,
  }) => {
    const { user, company } = await companyWithUser('admin')
    const { page, violations } = await watch(browserContext)

    // Public pages, server-rendered then hydrated.
    for (const path of ['/login', '/password/forgot']) {
      await page.goto(path)
      assert.isTrue(await styled(page), path)
    }
    // Signing in goes through the Inertia client: scripts run.
    await signIn(page, user.email)
    await page.assertVisible(page.getByRole('heading', { name: 'Tableau de bord' }))

    // A contact through the form, then its pages.
    await page.goto('/contacts/create')
    await page.getByLabel('Nom', { exact: true }).fill('Ardoisière Le Goff')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/\/contacts\/\d+$/)
    const contact = new URL(page.url()).pathname
    await page.getByRole('link', { name: 'Modifier' }).click()
    await page.waitForURL(/\/edit$/)

    // Client-side navigation (the progress bar inserts its <style> with the nonce).
    await page.goto('/')
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click()
    await page.waitForURL('/contacts')

    const pages = new Set([
      '/',
      '/contacts',
      '/contacts/create',
      contact,
      `${contact}/edit`,
      '/profile',
      '/settings/company',
      '/settings/users',
      `/settings/users/${user.id}`,
      '/settings/roles',
      '/settings/audit',
    ])
    // Every other signed-in page without parameters the router knows, modules' included.
    for (const entry of routeTable()) {
      if (
        entry.methods.includes('GET') &&
        !/[:*]/.test(entry.pattern) &&
        !/^\/(api|health)\//.test(entry.pattern) &&
        entry.pattern !== '/company/logo'
      ) {
        pages.add(entry.pattern)
      }
    }
    for (const path of pages) {
      // Pages only: not files (CSV exports) or images.
      const probe = await page.request.get(path)
      if (!/text\/html/.test(probe.headers()['content-type'] ?? '')) continue
      await page.goto(path)
      await page.waitForLoadState('networkidle')
      assert.isTrue(await styled(page), path)
    }

    // The dev mail viewer: its sandboxed frame shows the mail's own styles.
    const [mail] = await db
      .table('dev_mails')
      .insert({
        to: user.email,
        from: 'no-reply@charpente.local',
        subject: `Mail ${company.id}`,
        html: '<p style="color: rgb(200, 0, 0)" id="body">Bonjour</p>',
        text: 'Bonjour',
        created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      })
      .returning('id')
    const mailId = Number((mail as any)?.id ?? mail)
    await page.goto(`/dev/mails/${mailId}`)
    const frame = page.frameLocator('iframe')
    await page.assertVisible(frame.getByText('Bonjour'))
    assert.equal(
      await frame
        .locator('#body')
        .evaluate((el) => (globalThis as any).getComputedStyle(el).color as string),
      'rgb(200, 0, 0)'
    )

    assert.deepEqual(violations, [])
  }).timeout(180_000)

  test('in production, with the built assets: first-run setup, a common password refused', async ({
    browserContext,
    assert,
  }) => {
    const site = await startIsolatedSite('csp', await freePort(), {
      env: { NODE_ENV: 'production', LOG_LEVEL: 'error' },
    })
    try {
      const { page, violations } = await watch(browserContext)
      const response = await page.goto(`${site.url}/setup`)
      const policy = response!.headers()['content-security-policy']
      assert.match(policy, /connect-src 'self';/)
      // Scripts and styles come from the build, not from Vite's dev server.
      assert.isAbove(await page.locator('script[src^="/assets/"]').count(), 0)
      assert.isTrue(await styled(page))

      await page.getByLabel("Nom de l'entreprise").fill('Toitures Kerouac')
      await page.getByLabel('Votre nom').fill('Anna Kerouac')
      await page.getByLabel('Adresse e-mail').fill('anna@kerouac.fr')
      await page.getByLabel('Mot de passe', { exact: true }).fill('azerty123')
      await page.getByLabel('Confirmez le mot de passe').fill('azerty123')
      await page.getByRole('button', { name: "Créer l'entreprise" }).click()
      await page.assertVisible(page.getByText('Ce mot de passe est trop courant', { exact: false }))
      await page.assertPath('/setup')

      await page.getByLabel('Mot de passe', { exact: true }).fill('slate roofs under the rain')
      await page.getByLabel('Confirmez le mot de passe').fill('slate roofs under the rain')
      await page.getByRole('button', { name: "Créer l'entreprise" }).click()
      await page.waitForURL((url) => url.pathname !== '/setup')
      // The new admin lands on the dashboard, or on MFA enrolment (with its QR code)
      // when the admin role requires it.
      if (new URL(page.url()).pathname === '/profile/security') {
        await page.assertVisible(
          page.getByRole('heading', { name: 'Activer la connexion en deux étapes' })
        )
      } else {
        await page.assertPath('/')
        await page.assertVisible(page.getByRole('heading', { name: 'Tableau de bord' }))
      }
      assert.isTrue(await styled(page))

      assert.deepEqual(violations, [])
    } finally {
      await site.stop()
    }
  }).timeout(120_000)
})
