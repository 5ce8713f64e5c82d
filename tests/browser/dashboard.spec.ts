import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { signIn } from '#tests/helpers/sign_in_page'
import { resolveAccess } from '#kernel/security/access'
import ContactService from '#modules/contacts/services/contact_service'

test.group('Dashboard in a browser', () => {
  test('the home dashboard shows the widgets’ values and a chart, with no CSP violation', async ({
    browserContext,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const access = (await resolveAccess(user.id, company.id))!
    const service = new ContactService(access)
    const first = await service.create({ kind: 'company', name: 'Charpentes Morvan' })
    await service.create({ kind: 'company', name: 'Couvertures Le Bihan' })
    await db.from('contacts').where('id', first.id).update({ lifecycle: 'client' })

    const violations: string[] = []
    await browserContext.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')))`,
    })
    const page = await browserContext.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) {
        violations.push(message.text())
      }
    })
    await signIn(page, user.email)
    await page.goto('/')

    const kpi = page.getByTestId('widget-contacts-active-clients')
    await page.assertTextContains(kpi, 'Clients actifs')
    await page.assertTextContains(kpi.getByTestId('widget-value'), '1')

    const latest = page.getByTestId('widget-contacts-latest')
    await page.assertTextContains(latest, 'Couvertures Le Bihan')
    await page.assertTextContains(latest, 'Charpentes Morvan')

    const chart = page.getByTestId('widget-contacts-created-per-month')
    const canvas = chart.locator('canvas[data-testid="widget-chart"]')
    await canvas.waitFor()
    const box = await canvas.boundingBox()
    assert.isAbove(box!.width, 0)
    assert.isAbove(box!.height, 0)
    // The chart is drawn: some of the canvas's pixels are painted (a bar for this month).
    const painted = async () =>
      canvas.evaluate((element: any) => {
        const pixels = element
          .getContext('2d')!
          .getImageData(0, 0, element.width, element.height).data
        let count = 0
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++
        return count
      })
    const started = Date.now()
    while ((await painted()) === 0 && Date.now() - started < 5000) await page.waitForTimeout(100)
    assert.isAbove(await painted(), 0)

    await page.waitForTimeout(200)
    assert.deepEqual(violations, [])
    assert.deepEqual(errors, [])
  })
})
