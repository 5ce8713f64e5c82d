import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { resolveAccess } from '#kernel/security/access'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import { validateManifest } from '#kernel/modules/manifest'
import ContactService from '#modules/contacts/services/contact_service'

/**
 * Dashboard widgets declared by modules, with contacts as the first user:
 * listed per permission, data read through record scopes, 403/404, and a
 * failing widget answering its own error without breaking the others.
 */

const READ = 'contacts.contact.read'

/** A company with an admin, a member who sees only their own contacts, and contacts of both. */
async function scene() {
  const { company, user: admin } = await companyWithUser('admin')
  const { user: own } = await memberWithGrants(company.id, [{ permission: READ, scope: 'own' }])
  const adminAccess = (await resolveAccess(admin.id, company.id))!
  const service = new ContactService(adminAccess)
  const mine = await service.create({ kind: 'company', name: 'Ardoises SARL', ownerId: own.id })
  const theirs = await service.create({ kind: 'company', name: 'Zinc & Co', ownerId: admin.id })
  const prospect = await service.create({ kind: 'company', name: 'Tuiles SA', ownerId: admin.id })
  await db.from('contacts').whereIn('id', [mine.id, theirs.id]).update({ lifecycle: 'client' })
  return { company, admin, own, mine, theirs, prospect }
}

test.group('Dashboard widgets', () => {
  test('the list shows the widgets whose permission the user holds', async ({ client, assert }) => {
    const { company, admin, own } = await scene()
    const { user: nobody } = await memberWithGrants(company.id, [])

    const forAdmin = await client.get('/dashboard/widgets').loginAs(admin)
    forAdmin.assertStatus(200)
    const keys = forAdmin.body().data.map((w: any) => `${w.module}.${w.key}`)
    assert.includeMembers(keys, [
      'contacts.active-clients',
      'contacts.created-per-month',
      'contacts.latest',
    ])
    const kpi = forAdmin.body().data.find((w: any) => w.key === 'active-clients')
    assert.equal(kpi.kind, 'kpi')
    assert.equal(kpi.label, 'Clients actifs')

    const forOwn = await client.get('/api/v1/dashboard/widgets').bearerToken(await tokenFor(own))
    forOwn.assertStatus(200)
    assert.includeMembers(
      forOwn.body().data.map((w: any) => w.key),
      ['active-clients', 'latest']
    )

    const forNobody = await client.get('/dashboard/widgets').loginAs(nobody)
    forNobody.assertStatus(200)
    assert.notInclude(
      forNobody.body().data.map((w: any) => w.module),
      'contacts'
    )
  })

  test('widget data follows the record scope', async ({ client, assert }) => {
    const { admin, own, mine } = await scene()

    const adminKpi = await client.get('/dashboard/widgets/contacts/active-clients').loginAs(admin)
    adminKpi.assertStatus(200)
    assert.deepEqual(adminKpi.body().data, { kind: 'kpi', data: { value: 2 } })

    const ownKpi = await client.get('/dashboard/widgets/contacts/active-clients').loginAs(own)
    ownKpi.assertStatus(200)
    assert.equal(ownKpi.body().data.data.value, 1)

    const ownList = await client
      .get('/api/v1/dashboard/widgets/contacts/latest')
      .bearerToken(await tokenFor(own))
    ownList.assertStatus(200)
    assert.deepEqual(
      ownList.body().data.data.items.map((i: any) => i.title),
      [mine.name]
    )
    const adminList = await client.get('/dashboard/widgets/contacts/latest').loginAs(admin)
    assert.sameMembers(
      adminList.body().data.data.items.map((i: any) => i.title),
      ['Ardoises SARL', 'Zinc & Co', 'Tuiles SA']
    )

    const adminChart = await client
      .get('/dashboard/widgets/contacts/created-per-month')
      .loginAs(admin)
    adminChart.assertStatus(200)
    const chart = adminChart.body().data.data
    assert.lengthOf(chart.labels, 12)
    assert.deepEqual(chart.series[0].values.slice(0, 11), Array(11).fill(0))
    assert.equal(chart.series[0].values[11], 3)
    const ownChart = await client.get('/dashboard/widgets/contacts/created-per-month').loginAs(own)
    assert.equal(ownChart.body().data.data.series[0].values[11], 1)
  })

  test('403 without the permission, 404 for an unknown widget or a disabled module', async ({
    client,
  }) => {
    const { company, admin } = await scene()
    const { user: nobody } = await memberWithGrants(company.id, [])

    const forbidden = await client.get('/dashboard/widgets/contacts/latest').loginAs(nobody)
    forbidden.assertStatus(403)
    const apiForbidden = await client
      .get('/api/v1/dashboard/widgets/contacts/latest')
      .bearerToken(await tokenFor(nobody))
    apiForbidden.assertStatus(403)

    ;(await client.get('/dashboard/widgets/contacts/nope').loginAs(admin)).assertStatus(404)
    ;(await client.get('/dashboard/widgets/nomodule/latest').loginAs(admin)).assertStatus(404)
    ;(await client.get('/dashboard/widgets/contacts/latest').redirects(0)).assertStatus(302)

    await moduleManager.disable('contacts')
    try {
      ;(await client.get('/dashboard/widgets/contacts/latest').loginAs(admin)).assertStatus(404)
    } finally {
      await moduleManager.enable('contacts')
    }
  })

  test('a failing widget answers its own error; the others still load', async ({
    client,
    assert,
  }) => {
    const { admin } = await scene()
    const widgets = registry.get('contacts').widgets!
    widgets.push({
      key: 'broken',
      label: { fr: 'Cassé', en: 'Broken' },
      permission: READ,
      kind: 'kpi',
      load: async () => ({
        default: async () => {
          throw new Error('the database went away')
        },
      }),
    })
    try {
      const list = await client.get('/dashboard/widgets').loginAs(admin)
      list.assertStatus(200)
      assert.include(
        list.body().data.map((w: any) => w.key),
        'broken'
      )
      const broken = await client.get('/dashboard/widgets/contacts/broken').loginAs(admin)
      broken.assertStatus(500)
      assert.notInclude(broken.text(), 'the database went away')
      const other = await client.get('/dashboard/widgets/contacts/active-clients').loginAs(admin)
      other.assertStatus(200)
      const page = await client.get('/').loginAs(admin)
      page.assertStatus(200)
    } finally {
      widgets.splice(widgets.length - 1, 1)
    }
  })

  test('the manifest refuses a malformed widget', ({ assert }) => {
    const base = {
      name: 'widgetsdemo',
      version: '1.0.0',
      label: { fr: 'W', en: 'W' },
      description: { fr: 'W', en: 'W' },
      permissions: [{ key: 'widgetsdemo.thing.read', label: { fr: 'L', en: 'R' } }],
    }
    const widget = {
      key: 'count',
      label: { fr: 'Nombre', en: 'Count' },
      permission: 'widgetsdemo.thing.read',
      kind: 'kpi',
      load: async () => ({ default: async () => ({ value: 1 }) }),
    }
    assert.doesNotThrow(() => validateManifest({ ...base, widgets: [widget] }, 'widgetsdemo'))
    assert.throws(
      () => validateManifest({ ...base, widgets: [{ ...widget, kind: 'pie' }] }, 'widgetsdemo'),
      /widgets\[0\]\.kind/
    )
    assert.throws(
      () => validateManifest({ ...base, widgets: [{ ...widget, load: undefined }] }, 'widgetsdemo'),
      /widgets\[0\]\.load/
    )
    assert.throws(
      () => validateManifest({ ...base, widgets: [widget, widget] }, 'widgetsdemo'),
      /declared twice/
    )
  })
})
