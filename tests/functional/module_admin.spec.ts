import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import moduleAdmin from '#kernel/modules/module_admin'
import moduleManager from '#kernel/modules/module_manager'
import registry from '#kernel/modules/registry'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { createFixtureModules } from '#tests/helpers/fixture_modules'

async function admin() {
  const { company, user } = await companyWithUser('admin')
  return { company, user, token: await tokenFor(user) }
}

/** The module audit entries written since `afterId`, oldest first. */
async function moduleEntries(afterId: number) {
  return db
    .from('audit_logs')
    .where('model', 'kernel.module')
    .where('id', '>', afterId)
    .orderBy('id')
    .select('*')
}

async function lastAuditId() {
  const row = await db.from('audit_logs').max('id as id').first()
  return Number(row?.id ?? 0)
}

test.group('Module manager API (contacts)', () => {
  test('lists every module with version, state, dependencies and dependents', async ({
    client,
    assert,
  }) => {
    const { token } = await admin()
    const list = await client.get('/api/v1/admin/modules').bearerToken(token)
    list.assertStatus(200)
    assert.containsSubset(
      list.body().data.find((m: any) => m.name === 'contacts'),
      {
        name: 'contacts',
        label: 'Contacts',
        version: registry.get('contacts').version,
        state: 'enabled',
        depends: [],
        dependents: [],
        requires: [],
      }
    )
    const one = await client.get('/api/v1/admin/modules/contacts').bearerToken(token)
    one.assertStatus(200)
    assert.equal(one.body().data.installedVersion, one.body().data.version)
    ;(await client.get('/api/v1/admin/modules/nope').bearerToken(token)).assertStatus(404)
  })

  test('disabling hides the module’s pages, API and menus at once; enabling brings them back with their data', async ({
    client,
    assert,
  }) => {
    const { user, token } = await admin()
    const created = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Ardoisière de Trélazé' })
    created.assertStatus(201)
    const since = await lastAuditId()
    const menu = async () =>
      (await client.get('/settings/modules').loginAs(user).withInertia()).inertiaProps.menu.map(
        (entry: any) => entry.key
      )
    assert.include(await menu(), 'contacts')

    try {
      const disabled = await client
        .post('/api/v1/admin/modules/contacts/disable')
        .bearerToken(token)
      disabled.assertStatus(200)
      assert.equal(disabled.body().data.state, 'disabled')
      // The very next requests, in this process, see it gone: no waiting for the cache.
      ;(await client.get('/api/v1/contacts').bearerToken(token)).assertStatus(404)
      ;(await client.get('/contacts').loginAs(user)).assertStatus(404)
      assert.notInclude(await menu(), 'contacts')

      const again = await client.post('/api/v1/admin/modules/contacts/disable').bearerToken(token)
      again.assertStatus(409)
      assert.equal(again.body().errors[0].code, 'E_MODULE_NOT_ENABLED')

      const enabled = await client.post('/api/v1/admin/modules/contacts/enable').bearerToken(token)
      enabled.assertStatus(200)
      assert.deepEqual(enabled.body().meta.enabled, ['contacts'])
    } finally {
      // The rest of the suite needs contacts, whatever happened above.
      if ((await moduleManager.stateOf('contacts')) !== 'enabled') {
        await moduleManager.enable('contacts')
      }
    }
    const list = await client.get('/api/v1/contacts').bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((c: any) => c.name),
      ['Ardoisière de Trélazé']
    )
    assert.include(await menu(), 'contacts')

    const entries = await moduleEntries(since)
    assert.deepEqual(
      entries.map((e) => [e.event, e.record_id, e.company_id]),
      [
        ['module.disabled', 'contacts', null],
        ['module.enabled', 'contacts', null],
      ]
    )
    assert.deepEqual(JSON.parse(entries[0].changes), { state: ['enabled', 'disabled'] })
  }).timeout(60000)

  test('enabling an enabled module is refused with a 409', async ({ client, assert }) => {
    const { token } = await admin()
    const refused = await client.post('/api/v1/admin/modules/contacts/enable').bearerToken(token)
    refused.assertStatus(409)
    assert.deepEqual(refused.body().errors[0].modules, ['contacts'])
    assert.match(refused.body().errors[0].message, /déjà activé/)
  })

  test('bad input is a 422, an unknown module a 404', async ({ client, assert }) => {
    const { token } = await admin()
    const bad = await client
      .post('/api/v1/admin/modules/contacts/enable')
      .bearerToken(token)
      .json({ withDependencies: 'maybe' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'withDependencies')
    const unknown = await client.post('/api/v1/admin/modules/nope/disable').bearerToken(token)
    unknown.assertStatus(404)
    assert.equal(unknown.body().errors[0].code, 'E_MODULE_UNKNOWN')
  })

  test('members without kernel.modules.manage are refused', async ({ client }) => {
    const { company } = await admin()
    const manager = await memberOf(company.id, 'manager')
    const token = await tokenFor(manager)
    ;(await client.get('/api/v1/admin/modules').bearerToken(token)).assertStatus(403)
    ;(await client.post('/api/v1/admin/modules/contacts/disable').bearerToken(token)).assertStatus(
      403
    )
    ;(await client.get('/settings/modules').loginAs(manager)).assertStatus(403)
    ;(
      await client.post('/settings/modules/contacts/disable').loginAs(manager).withCsrfToken()
    ).assertStatus(403)
  })
})

test.group('Module manager rules (fixture modules)', (group) => {
  let fixtures: Awaited<ReturnType<typeof createFixtureModules>>
  let restore: () => void
  const table = `mgr_base_things_${process.pid}`
  const addonTable = `mgr_addon_things_${process.pid}`

  group.setup(async () => {
    fixtures = await createFixtureModules('admin', [
      { name: 'mgrbase', tables: [table] },
      { name: 'mgraddon', depends: ['mgrbase'], tables: [addonTable] },
    ])
    restore = moduleAdmin.useManager(fixtures.manager)
    return async () => {
      restore()
      await fixtures.cleanup()
    }
  })

  test('enabling lists the dependencies it needs, and enables them only when asked', async ({
    client,
    assert,
  }) => {
    const { token } = await admin()
    const listed = await client.get('/api/v1/admin/modules/mgraddon').bearerToken(token)
    assert.containsSubset(listed.body().data, {
      state: 'not_installed',
      depends: ['mgrbase'],
      requires: ['mgrbase'],
    })

    const refused = await client.post('/api/v1/admin/modules/mgraddon/enable').bearerToken(token)
    refused.assertStatus(409)
    assert.containsSubset(refused.body().errors[0], {
      code: 'E_MODULE_DEPENDENCIES',
      modules: ['mgrbase'],
    })
    assert.match(refused.body().errors[0].message, /dépend de mgrbase/)
    assert.equal(await fixtures.manager.stateOf('mgrbase'), 'not_installed')

    const since = await lastAuditId()
    const enabled = await client
      .post('/api/v1/admin/modules/mgraddon/enable')
      .bearerToken(token)
      .json({ withDependencies: true })
    enabled.assertStatus(200)
    assert.deepEqual(enabled.body().meta.enabled, ['mgrbase', 'mgraddon'])
    assert.equal(enabled.body().data.state, 'enabled')
    assert.isTrue(await db.connection().schema.hasTable(addonTable))
    const entries = await moduleEntries(since)
    assert.deepEqual(
      entries.map((e) => [e.event, e.record_id]),
      [
        ['module.enabled', 'mgrbase'],
        ['module.enabled', 'mgraddon'],
      ]
    )
    assert.deepEqual(JSON.parse(entries[0].meta), { version: '1.0.0', dependencyOf: 'mgraddon' })
  }).timeout(60000)

  test('disabling and uninstalling are refused while a dependent is enabled or installed', async ({
    client,
    assert,
  }) => {
    const { token } = await admin()
    const disable = await client.post('/api/v1/admin/modules/mgrbase/disable').bearerToken(token)
    disable.assertStatus(409)
    assert.containsSubset(disable.body().errors[0], {
      code: 'E_MODULE_DEPENDENTS',
      modules: ['mgraddon'],
    })

    ;(await client.post('/api/v1/admin/modules/mgraddon/disable').bearerToken(token)).assertStatus(
      200
    )
    // Disabled but installed: uninstalling the base is still refused.
    const plan = await client.get('/api/v1/admin/modules/mgrbase/uninstall').bearerToken(token)
    plan.assertStatus(409)
    assert.deepEqual(plan.body().errors[0].modules, ['mgraddon'])
    const uninstall = await client
      .post('/api/v1/admin/modules/mgrbase/uninstall')
      .bearerToken(token)
      .json({ confirm: true })
    uninstall.assertStatus(409)
    assert.isTrue(await db.connection().schema.hasTable(table))
  }).timeout(60000)

  test('uninstalling shows a dry run first and drops only on confirmation', async ({
    client,
    assert,
  }) => {
    const { token } = await admin()
    const plan = await client.get('/api/v1/admin/modules/mgraddon/uninstall').bearerToken(token)
    plan.assertStatus(200)
    assert.deepEqual(plan.body().data, { module: 'mgraddon', dryRun: true, tables: [addonTable] })
    const dryRun = await client.post('/api/v1/admin/modules/mgraddon/uninstall').bearerToken(token)
    dryRun.assertStatus(200)
    assert.isTrue(dryRun.body().data.dryRun)
    assert.isTrue(await db.connection().schema.hasTable(addonTable))

    const since = await lastAuditId()
    const done = await client
      .post('/api/v1/admin/modules/mgraddon/uninstall')
      .bearerToken(token)
      .json({ confirm: true })
    done.assertStatus(200)
    assert.deepEqual(done.body().data, { module: 'mgraddon', dryRun: false, tables: [addonTable] })
    assert.isFalse(await db.connection().schema.hasTable(addonTable))
    assert.equal(await fixtures.manager.stateOf('mgraddon'), 'not_installed')
    const [entry] = await moduleEntries(since)
    assert.equal(entry.event, 'module.uninstalled')
    assert.deepEqual(JSON.parse(entry.meta), { tables: [addonTable] })

    const again = await client.get('/api/v1/admin/modules/mgraddon/uninstall').bearerToken(token)
    again.assertStatus(409)
    assert.equal(again.body().errors[0].code, 'E_MODULE_NOT_INSTALLED')
  }).timeout(60000)

  test('the page lists the modules, shows the dry run and reports refusals as messages', async ({
    client,
    assert,
  }) => {
    const { user } = await admin()
    const page = await client.get('/settings/modules').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('settings/modules')
    assert.containsSubset(
      page.inertiaProps.modules.find((m: any) => m.name === 'mgraddon'),
      { state: 'not_installed', depends: ['mgrbase'], requires: [] }
    )
    assert.isNull(page.inertiaProps.plan)

    const planPage = await client
      .get('/settings/modules')
      .qs({ uninstall: 'mgrbase' })
      .loginAs(user)
      .withInertia()
    assert.deepEqual(planPage.inertiaProps.plan, {
      module: 'mgrbase',
      dryRun: true,
      tables: [table],
    })

    // A refusal from the page is a message on the page, never an error page.
    const refused = await client
      .post('/settings/modules/mgrbase/enable')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    refused.assertStatus(302)
    refused.assertHeader('location', '/settings/modules')
    refused.assertFlashMessage('error', 'Le module « mgrbase » est déjà activé')

    // Uninstall from the page: without confirmation it only leads to the dry run.
    const unconfirmed = await client
      .post('/settings/modules/mgrbase/uninstall')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    unconfirmed.assertHeader('location', '/settings/modules?uninstall=mgrbase')
    assert.isTrue(await db.connection().schema.hasTable(table))
    const confirmed = await client
      .post('/settings/modules/mgrbase/uninstall')
      .loginAs(user)
      .withCsrfToken()
      .json({ confirm: true })
      .redirects(0)
    confirmed.assertFlashMessage('success', 'Module « mgrbase » désinstallé')
    assert.isFalse(await db.connection().schema.hasTable(table))

    const enabled = await client
      .post('/settings/modules/mgraddon/enable')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.match(String(enabled.flashMessages().error), /Impossible d'activer « mgraddon »/)
    const withDependencies = await client
      .post('/settings/modules/mgraddon/enable')
      .loginAs(user)
      .withCsrfToken()
      .json({ withDependencies: true })
      .redirects(0)
    withDependencies.assertFlashMessage('success', 'Modules activés : mgrbase, mgraddon')
  }).timeout(60000)
})
