import { test } from '@japa/runner'
import { writeFile, mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { addMember, createCompany } from '#services/companies'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)

test.group('Company profile', () => {
  test('an admin updates the legal identity through the API; checks are enforced', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const ok = await client.patch('/api/v1/company').bearerToken(token).json({
      name: 'Toitures Test',
      siren: '732 829 320',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      capitalCents: 1500000,
      country: 'fr',
      timezone: 'Europe/Paris',
      locale: 'fr',
    })
    ok.assertStatus(200)
    assert.equal(ok.body().data.siren, '732829320')
    assert.equal(ok.body().data.country, 'FR')
    assert.equal(ok.body().data.capitalCents, 1500000)

    const bad = await client.patch('/api/v1/company').bearerToken(token).json({
      name: 'X',
      siren: '123456789',
      country: 'France',
      timezone: 'Mars/Olympus',
      locale: 'de',
    })
    bad.assertStatus(422)
    const fields = bad.body().errors.map((e: any) => e.field)
    assert.includeMembers(fields, ['name', 'siren', 'country', 'timezone', 'locale'])
  })

  test('staff may read the profile but not change it', async ({ client }) => {
    const { company } = await companyWithUser('admin')
    const staff = await memberOf(company.id, 'staff')
    const token = await tokenFor(staff)
    ;(await client.get('/api/v1/company').bearerToken(token)).assertStatus(200)
    ;(await client.patch('/api/v1/company').bearerToken(token).json({ name: 'Nope' })).assertStatus(
      403
    )
    ;(await client.get('/settings/company').loginAs(staff).withInertia()).assertStatus(200)
    ;(
      await client.put('/settings/company').loginAs(staff).withCsrfToken().json({ name: 'Nope' })
    ).assertStatus(403)
  })

  test('the logo is checked on its content and served to members only', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const other = await companyWithUser('admin')
    const folder = app.makePath('tmp', 'uploads-test')
    await mkdir(folder, { recursive: true })
    await writeFile(`${folder}/logo.png`, PNG)
    await writeFile(`${folder}/fake.png`, 'this is not an image')

    const refused = await client
      .post('/settings/company/logo')
      .loginAs(user)
      .withCsrfToken()
      .file('logo', `${folder}/fake.png`)
      .redirects(0)
    refused.assertStatus(302)
    // French by default: the type is read from the content, not the name.
    refused.assertFlashMessage('inputErrorsBag', { logo: ['Type de fichier non accepté'] })
    ;(await client.get('/company/logo').loginAs(user)).assertStatus(404)

    const stored = await client
      .post('/settings/company/logo')
      .loginAs(user)
      .withCsrfToken()
      .file('logo', `${folder}/logo.png`)
      .redirects(0)
    stored.assertStatus(302)
    const logo = await client.get('/company/logo').loginAs(user)
    logo.assertStatus(200)
    assert.equal(logo.header('content-type'), 'image/png')
    ;(await client.get('/company/logo').loginAs(other.user)).assertStatus(404)
  })

  test('the switcher moves a member between their companies, never into others', async ({
    client,
    assert,
  }) => {
    const { company: first, user } = await companyWithUser('admin')
    const stranger = await companyWithUser('admin')
    const second = await db.transaction(async (trx) => {
      const c = await createCompany(trx, { name: 'Second company' })
      await addMember(trx, c.id, user.id, 'staff')
      return c
    })
    const switched = await client
      .post('/company')
      .loginAs(user)
      .withCsrfToken()
      .json({ companyId: second.id })
      .redirects(0)
    switched.assertStatus(302)
    await user.refresh()
    assert.equal(user.currentCompanyId, second.id)
    const page = await client
      .get('/')
      .loginAs(await User.findOrFail(user.id))
      .withInertia()
    assert.equal(page.inertiaProps.company.id, second.id)
    assert.sameMembers(
      page.inertiaProps.companies.map((c: any) => c.id),
      [first.id, second.id]
    )
    const refused = await client
      .post('/company')
      .loginAs(user)
      .withCsrfToken()
      .json({ companyId: stranger.company.id })
    refused.assertStatus(403)
  })
})
