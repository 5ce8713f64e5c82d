import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import moduleManager from '#kernel/modules/module_manager'
import { moduleSettings, updateModuleSettings } from '#kernel/settings/settings'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'

/*
 * The kernel's settings service, page and API, through a real module's
 * declaration: stock declares `allowNegative` (boolean, default false) and
 * names `stock.settings.manage` for it. The declaration's other field types
 * are covered by tests/unit/module_settings.spec.ts.
 */
const API = '/api/v1/settings/stock'

test.group('Module settings', () => {
  test('a module setting reads as its default until saved, then as saved, per company', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const other = await companyWithUser('manager')
    const token = await tokenFor(user)

    const first = await client.get(API).bearerToken(token)
    first.assertStatus(200)
    assert.deepEqual(first.body().data, { allowNegative: false })
    const field = first.body().meta.fields[0]
    assert.equal(field.key, 'allowNegative')
    assert.equal(field.type, 'boolean')
    assert.equal(field.default, false)
    assert.equal(field.label, 'Autoriser le stock négatif')

    const saved = await client.patch(API).bearerToken(token).json({ allowNegative: true })
    saved.assertStatus(200)
    assert.deepEqual(saved.body().data, { allowNegative: true })
    assert.deepEqual((await client.get(API).bearerToken(token)).body().data, {
      allowNegative: true,
    })
    // What the module itself reads.
    assert.isTrue((await moduleSettings('stock', company.id)).allowNegative)
    // Another company keeps its own (the default).
    assert.isFalse((await moduleSettings('stock', other.company.id)).allowNegative)
    const otherToken = await tokenFor(other.user)
    assert.deepEqual((await client.get(API).bearerToken(otherToken)).body().data, {
      allowNegative: false,
    })

    // Audited with the change, in the company's trail.
    const audit = await db
      .from('audit_logs')
      .where({ event: 'settings.updated', model: 'kernel.module_settings', record_id: 'stock' })
      .where('company_id', company.id)
    assert.lengthOf(audit, 1)
    assert.equal(Number(audit[0].actor_id), user.id)
    const changes = JSON.parse(audit[0].changes)
    assert.deepEqual(changes, { allowNegative: [false, true] })

    // Saving the same value again changes nothing and adds no entry.
    ;(await client.patch(API).bearerToken(token).json({ allowNegative: true })).assertStatus(200)
    const again = await db
      .from('audit_logs')
      .where({ event: 'settings.updated', model: 'kernel.module_settings', record_id: 'stock' })
      .where('company_id', company.id)
    assert.lengthOf(again, 1)
  })

  test('bad values and unknown settings are 422 on the field, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const token = await tokenFor(user)

    const wrongType = await client.patch(API).bearerToken(token).json({ allowNegative: 'perhaps' })
    wrongType.assertStatus(422)
    assert.equal(wrongType.body().errors[0].field, 'allowNegative')
    assert.equal(wrongType.body().errors[0].rule, 'boolean')

    const unknown = await client
      .patch(API)
      .bearerToken(token)
      .json({ allowNegative: true, allowNegativ: true })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'allowNegativ')
    assert.equal(unknown.body().errors[0].rule, 'unknown_setting')

    const rows = await db.from('module_settings').where('company_id', company.id)
    assert.lengthOf(rows, 0)
    assert.isFalse((await moduleSettings('stock', company.id)).allowNegative)
  })

  test('permission: 403 without the permission the module names, 404 for a module without settings or unknown', async ({
    client,
    assert,
  }) => {
    const { company } = await companyWithUser('manager')
    const staff = await memberOf(company.id, 'staff')
    const staffToken = await tokenFor(staff)
    ;(await client.get(API).bearerToken(staffToken)).assertStatus(403)
    ;(await client.patch(API).bearerToken(staffToken).json({ allowNegative: true })).assertStatus(
      403
    )
    ;(await client.get('/settings/modules/stock/settings').loginAs(staff)).assertStatus(403)
    assert.isFalse((await moduleSettings('stock', company.id)).allowNegative)

    // A custom role granted just that permission may.
    const { user: keeper } = await memberWithGrants(company.id, [
      { permission: 'stock.settings.manage' },
    ])
    const keeperToken = await tokenFor(keeper)
    ;(await client.get(API).bearerToken(keeperToken)).assertStatus(200)

    // contacts declares no settings; `nosuch` is no module.
    ;(await client.get('/api/v1/settings/contacts').bearerToken(keeperToken)).assertStatus(404)
    ;(await client.get('/api/v1/settings/nosuch').bearerToken(keeperToken)).assertStatus(404)
    ;(await client.get('/api/v1/settings/stock')).assertStatus(401)
  })

  test('a disabled module: its settings answer 404 and leave the menu, the values are kept', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const token = await tokenFor(user)
    await updateModuleSettings('stock', company.id, { allowNegative: true })
    const menuOf = async () =>
      (await client.get('/').loginAs(user).withInertia()).inertiaProps.moduleSettings.map(
        (entry: any) => entry.href
      )
    assert.include(await menuOf(), '/settings/modules/stock/settings')

    await moduleManager.disable('stock')
    try {
      ;(await client.get(API).bearerToken(token)).assertStatus(404)
      ;(await client.get('/settings/modules/stock/settings').loginAs(user)).assertStatus(404)
      assert.notInclude(await menuOf(), '/settings/modules/stock/settings')
    } finally {
      await moduleManager.enable('stock')
    }
    assert.deepEqual((await client.get(API).bearerToken(token)).body().data, {
      allowNegative: true,
    })
  })

  test('the settings page shows the fields and saves; a bad value is a form error', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('manager')
    const page = await client.get('/settings/modules/stock/settings').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('settings/module_settings')
    assert.equal(page.inertiaProps.module.name, 'stock')
    assert.deepEqual(page.inertiaProps.values, { allowNegative: false })
    assert.equal(page.inertiaProps.fields[0].key, 'allowNegative')

    const refused = await client
      .put('/settings/modules/stock/settings')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .json({ allowNegative: 'x' })
    refused.assertStatus(302)
    assert.property(refused.flashMessages().inputErrorsBag, 'allowNegative')
    assert.isFalse((await moduleSettings('stock', company.id)).allowNegative)

    const saved = await client
      .put('/settings/modules/stock/settings')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .json({ allowNegative: true })
    saved.assertStatus(302)
    saved.assertHeader('location', '/settings/modules/stock/settings')
    assert.isTrue((await moduleSettings('stock', company.id)).allowNegative)

    // The modules page offers the link for enabled modules that declare settings.
    const admin = await memberOf(company.id, 'admin')
    const modules = await client.get('/settings/modules').loginAs(admin).withInertia()
    const stock = modules.inertiaProps.modules.find((m: any) => m.name === 'stock')
    const contacts = modules.inertiaProps.modules.find((m: any) => m.name === 'contacts')
    assert.isTrue(stock.hasSettings)
    assert.isFalse(contacts.hasSettings)
  })

  test('concurrent saves of a company’s settings all commit into one row', async ({ assert }) => {
    const { company } = await companyWithUser('manager')
    // Saves racing on one company: every one commits, into a single row.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        updateModuleSettings('stock', company.id, { allowNegative: i % 2 === 0 })
      )
    )
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as any).reason)),
      []
    )
    const rows = await db.from('module_settings').where('company_id', company.id)
    assert.lengthOf(rows, 1)
  })
})
