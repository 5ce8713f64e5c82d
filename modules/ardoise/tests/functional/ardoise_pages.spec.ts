import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf } from '#tests/helpers/fixtures'
import { pdfPages } from '#tests/helpers/pdf'
import { DTU_TABLE_CSV } from '../../database/data/dtu_40_11.js'

const example = {
  slate: { length: 400, width: 250 },
  pitchPercent: 60,
  zone: 1,
  situation: 'normale',
  rampant: 7,
  area: 50,
  wastePercent: 5,
  fixing: 'crochet',
}

test.group('Ardoise pages', () => {
  test('the calculator gets the active table and the formats; technicians use it, not the admin pages', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('manager')
    const page = await client.get('/ardoise').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('ardoise/calculator')
    const props = page.inertiaProps
    assert.equal(props.table.label, 'DTU 40.11 (1977/1993) — site normal v1')
    assert.lengthOf(props.table.rows, 24)
    assert.includeDeepMembers(
      props.formats.map((f: any) => [f.lengthMm, f.widthMm]),
      [
        [400, 250],
        [320, 220],
      ]
    )
    assert.deepEqual(props.can, { list: true, manage: true })

    const technician = await memberOf(company.id, 'technician')
    const own = await client.get('/ardoise').loginAs(technician).withInertia()
    own.assertStatus(200)
    assert.deepEqual(own.inertiaProps.can, { list: true, manage: false })
    const admin = await client.get('/ardoise/tables').loginAs(technician).withInertia()
    admin.assertStatus(403)
  })

  test('saving from the page: the server’s result, then the detail, the list and the PDF', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const saved = await client
      .post('/ardoise/calculations')
      .loginAs(user)
      .withCsrfToken()
      .json({ ...example, title: 'Maison Éléonore', formatId: null, record: null })
      .redirects(0)
    saved.assertStatus(302)
    const location = saved.header('location') as string
    assert.match(location, /^\/ardoise\/calculations\/\d+$/)

    const show = await client.get(location).loginAs(user).withInertia()
    show.assertInertiaComponent('ardoise/calculation')
    assert.containsSubset(show.inertiaProps.calculation.result, {
      totalSlates: 1396,
      recouvrement: 99,
      pureau: 150.5,
    })

    const list = await client
      .get('/ardoise/calculations?search=eleonore')
      .loginAs(user)
      .withInertia()
    assert.deepEqual(
      list.inertiaProps.calculations.map((c: any) => c.title),
      ['Maison Éléonore']
    )
    const none = await client.get('/ardoise/calculations?search=zzz').loginAs(user).withInertia()
    assert.lengthOf(none.inertiaProps.calculations, 0)

    const pdf = await client.get(`${location}/pdf`).loginAs(user)
    pdf.assertStatus(200)
    pdf.assertHeader('content-type', 'application/pdf')
    const text = (await pdfPages(pdf.body())).join(' ')
    for (const figure of [
      'Maison Éléonore',
      '6,00 m',
      '99 mm',
      '150,5 mm',
      '26,58',
      '1 396',
      '332',
    ]) {
      assert.include(text, figure)
    }
  })

  test('the form gets field errors and nothing is saved', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('staff')
    const response = await client
      .post('/ardoise/calculations')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/ardoise')
      .json({ ...example, title: '', area: -2, zone: 4 })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/ardoise')
    const bag = response.flashMessages().inputErrorsBag
    assert.includeMembers(Object.keys(bag), ['title', 'area', 'zone'])
    const count = await db
      .from('ardoise_calculations')
      .where('company_id', company.id)
      .count('* as n')
    assert.equal(Number(count[0].n), 0)
  })

  test('printing unsaved figures, with formats compared, and a refusal explained', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('technician')
    const formats = await db.from('ardoise_formats').where('company_id', user.currentCompanyId!)
    const small = formats.find((f) => f.length_mm === 320)
    const qs = new URLSearchParams({
      'slate[length]': '400',
      'slate[width]': '250',
      'pitchPercent': '60',
      'zone': '1',
      'situation': 'normale',
      'rampant': '7',
      'area': '50',
      'fixing': 'crochet',
      'compare[]': String(small.id),
    })
    const pdf = await client.get(`/ardoise/print.pdf?${qs}`).loginAs(user)
    pdf.assertStatus(200)
    const text = (await pdfPages(pdf.body())).join(' ')
    assert.include(text, '1 396')
    assert.include(text, '320 × 220 mm')

    qs.set('rampant', '20')
    const refused = await client.get(`/ardoise/print.pdf?${qs}`).loginAs(user)
    const refusal = (await pdfPages(refused.body())).join(' ')
    assert.include(refusal, 'Étude particulière')
    assert.include(refusal, '17,15 m')
  })

  test('tables page: a dry run shows the differences, loading makes a new active version', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('manager')
    const page = await client.get('/ardoise/tables').loginAs(user).withInertia()
    page.assertInertiaComponent('ardoise/tables')
    assert.lengthOf(page.inertiaProps.versions, 1)
    assert.lengthOf(page.inertiaProps.shown.rows, 24)

    const csv = DTU_TABLE_CSV.replace('\n60;92;99;106;', '\n60;95;99;106;')
    const preview = await client
      .post('/ardoise/tables/preview')
      .loginAs(user)
      .withCsrfToken()
      .withInertia()
      .file('file', Buffer.from(csv), { filename: 'new.csv' })
    preview.assertStatus(200)
    assert.deepEqual(preview.inertiaProps.preview.diff.changed, [
      { pitch: 60, zone: 1, band: 1, from: 92, to: 95 },
    ])
    assert.lengthOf(await db.from('ardoise_tables').where('company_id', company.id), 1)

    const loaded = await client
      .post('/ardoise/tables')
      .loginAs(user)
      .withCsrfToken()
      .file('file', Buffer.from(csv), { filename: 'new.csv' })
      .redirects(0)
    loaded.assertStatus(302)
    const after = await client.get('/ardoise/tables').loginAs(user).withInertia()
    assert.deepEqual(
      after.inertiaProps.versions.map((v: any) => [v.version, v.isActive]),
      [
        [2, true],
        [1, false],
      ]
    )
    const exported = await client.get('/ardoise/tables/export.csv').loginAs(user)
    assert.include(exported.text(), '60;95;99;106')
  })

  test('formats page: add, change and delete, with form errors', async ({ client, assert }) => {
    const { user, company } = await companyWithUser('manager')
    const bad = await client
      .post('/ardoise/formats')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/ardoise/formats')
      .json({ lengthMm: 50, widthMm: null })
      .redirects(0)
    bad.assertStatus(302)
    assert.includeMembers(Object.keys(bad.flashMessages().inputErrorsBag), ['lengthMm', 'widthMm'])

    await client
      .post('/ardoise/formats')
      .loginAs(user)
      .withCsrfToken()
      .json({ lengthMm: 600, widthMm: 300, thickness: 5, supplier: 'Ardoisières', priceCents: 310 })
      .redirects(0)
    const row = await db
      .from('ardoise_formats')
      .where({ company_id: company.id, length_mm: 600 })
      .first()
    assert.equal(row.thickness_um, 5000)
    await client
      .put(`/ardoise/formats/${row.id}`)
      .loginAs(user)
      .withCsrfToken()
      .json({ lengthMm: 600, widthMm: 350, thickness: 5, priceCents: 320 })
      .redirects(0)
    const page = await client.get('/ardoise/formats').loginAs(user).withInertia()
    assert.containsSubset(
      page.inertiaProps.formats.find((f: any) => f.id === row.id),
      { widthMm: 350, priceCents: 320 }
    )
    await client.delete(`/ardoise/formats/${row.id}`).loginAs(user).withCsrfToken().redirects(0)
    assert.isNull(await db.from('ardoise_formats').where('id', row.id).first())
  })
})
