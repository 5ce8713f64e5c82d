import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { CSV_HEADER } from '../../services/table_csv.js'
import { DTU_TABLE_CSV } from '../../database/data/dtu_40_11.js'
import writeXlsxFile from 'write-excel-file/node'

const DTU_V1 = 'DTU 40.11 (1977/1993) — site normal v1'

/** The request of the issue: the worked example of the rules. */
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

async function apiUser(role = 'manager') {
  const { company, user } = await companyWithUser(role)
  return { company, user, token: await tokenFor(user) }
}

test.group('Ardoise API: calculate', () => {
  test('the worked example gives exactly its figures', async ({ client, assert }) => {
    const { token } = await apiUser('technician')
    const response = await client.post('/api/v1/ardoise/calculate').bearerToken(token).json(example)
    response.assertStatus(200)
    const body = response.body()
    assert.deepEqual(
      {
        feasible: body.feasible,
        horizontalProjection: body.horizontalProjection,
        band: body.band,
        tablePitch: body.tablePitch,
        recouvrement: body.recouvrement,
        pureau: body.pureau,
        slatesPerM2: body.slatesPerM2,
        totalSlates: body.totalSlates,
        hookLength: body.hookLength,
        hooks: body.hooks,
        nails: body.nails,
        battensMeters: body.battensMeters,
        weightPerM2: body.weightPerM2,
        totalWeightKg: body.totalWeightKg,
        tableVersion: body.tableVersion,
      },
      {
        feasible: true,
        horizontalProjection: 6.0,
        band: 2,
        tablePitch: 60,
        recouvrement: 99,
        pureau: 150.5,
        slatesPerM2: 26.58,
        totalSlates: 1396,
        hookLength: 110,
        hooks: 1396,
        nails: 0,
        battensMeters: 332,
        weightPerM2: null,
        totalWeightKg: null,
        tableVersion: DTU_V1,
      }
    )
    assert.notProperty(body, 'message')
    // Nothing is saved by a calculation
    const saved = await db.from('ardoise_calculations').where('table_label', 'x').count('* as n')
    assert.equal(Number(saved[0].n), 0)
  })

  test('nails instead of hooks; degrees instead of %; waste by default', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const nailed = await client
      .post('/api/v1/ardoise/calculate')
      .bearerToken(token)
      .json({ ...example, fixing: 'clou', wastePercent: undefined })
    nailed.assertStatus(200)
    assert.containsSubset(nailed.body(), {
      feasible: true,
      totalSlates: 1396,
      hookLength: null,
      hooks: null,
      nails: 2792,
    })
    const degrees = await client
      .post('/api/v1/ardoise/calculate')
      .bearerToken(token)
      .json({ ...example, pitchPercent: undefined, pitchDegrees: 45, rampant: 3 })
    assert.containsSubset(degrees.body(), { feasible: true, tablePitch: 100, band: 1 })
  })

  test('a format’s thickness gives the weight', async ({ client, assert }) => {
    const { token } = await apiUser()
    const formats = await client.get('/api/v1/ardoise/formats').bearerToken(token)
    const format = formats.body().data.find((f: any) => f.lengthMm === 400 && f.widthMm === 250)
    assert.equal(format.thickness, 4)
    const response = await client
      .post('/api/v1/ardoise/calculate')
      .bearerToken(token)
      .json({ ...example, formatId: format.id })
    assert.containsSubset(response.body(), { weightPerM2: 29.24, totalWeightKg: 1536 })
  })

  test('each refusal has its reason, an explanation and the figures behind it', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const call = (body: object) =>
      client
        .post('/api/v1/ardoise/calculate')
        .bearerToken(token)
        .json({ ...example, ...body })

    const low = await call({ pitchPercent: 25, zone: 2, rampant: 3 })
    low.assertStatus(200)
    assert.containsSubset(low.body(), {
      feasible: false,
      reason: 'pitch_too_low',
      band: 1,
      zone: 2,
      tablePitch: 25,
      lowestPitch: 30,
      tableVersion: DTU_V1,
    })
    assert.include(low.body().message, 'Pente trop faible')
    assert.include(low.body().message, '30 %')

    const short = await call({ slate: { length: 320, width: 220 }, pitchPercent: 20, rampant: 3 })
    assert.containsSubset(short.body(), {
      feasible: false,
      reason: 'slate_too_short',
      recouvrement: 153,
      minimumLength: 459,
      slateLength: 320,
    })
    assert.include(short.body().message, '459 mm')

    const study = await call({ rampant: 20 })
    assert.containsSubset(study.body(), {
      feasible: false,
      reason: 'special_study',
      horizontalProjection: 17.15,
      band: null,
    })
    assert.include(study.body().message, '17,15 m')
  })

  test('malformed input is a 422 { errors: [{ field, rule, message }] }', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser()
    const cases: [object, string][] = [
      [{ area: -3 }, 'area'],
      [{ zone: 4 }, 'zone'],
      [{ slate: undefined }, 'slate'],
      [{ situation: 'venteuse' }, 'situation'],
      [{ pitchPercent: undefined }, 'pitchPercent'],
      [{ pitchDegrees: 31 }, 'pitchDegrees'],
      [{ pitchPercent: undefined, pitchDegrees: 95 }, 'pitchDegrees'],
      [{ slate: { length: 400.5, width: 250 } }, 'slate.length'],
      [{ formatId: 999999 }, 'formatId'],
    ]
    for (const [body, field] of cases) {
      const response = await client
        .post('/api/v1/ardoise/calculate')
        .bearerToken(token)
        .json({ ...example, ...body })
      response.assertStatus(422)
      const errors = response.body().errors
      assert.isArray(errors, JSON.stringify(body))
      for (const error of errors) assert.properties(error, ['field', 'rule', 'message'])
      assert.include(
        errors.map((e: any) => e.field),
        field,
        JSON.stringify(body)
      )
    }
  })

  test('permissions: a client role is refused, no token is 401', async ({ client }) => {
    const { token } = await apiUser('client')
    const refused = await client.post('/api/v1/ardoise/calculate').bearerToken(token).json(example)
    refused.assertStatus(403)
    const anonymous = await client.post('/api/v1/ardoise/calculate').json(example)
    anonymous.assertStatus(401)
  })
})

test.group('Ardoise API: saved calculations', () => {
  test('saves the server’s result with the table version, lists and shows it', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser('staff')
    const saved = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Maison Éléonore — pan nord' })
    saved.assertStatus(201)
    const data = saved.body().data
    assert.equal(data.tableVersion, DTU_V1)
    assert.containsSubset(data.result, { totalSlates: 1396, recouvrement: 99 })
    assert.equal(data.input.pitchPercent, 60)

    ;(
      await client
        .post('/api/v1/ardoise/calculations')
        .bearerToken(token)
        .json({ ...example, title: 'Appentis', pitchPercent: 10 })
    ).assertStatus(201)

    const show = await client.get(`/api/v1/ardoise/calculations/${data.id}`).bearerToken(token)
    show.assertStatus(200)
    assert.equal(show.body().data.title, 'Maison Éléonore — pan nord')

    const search = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ search: 'eleonore' })
      .bearerToken(token)
    assert.deepEqual(
      search.body().data.map((c: any) => c.title),
      ['Maison Éléonore — pan nord']
    )
    const refused = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ search: 'appentis' })
      .bearerToken(token)
    assert.containsSubset(refused.body().data[0], { feasible: false, reason: 'pitch_too_low' })
  })

  test('keyset pages, newest first', async ({ client, assert }) => {
    const { token } = await apiUser('staff')
    for (const title of ['A', 'B', 'C']) {
      ;(
        await client
          .post('/api/v1/ardoise/calculations')
          .bearerToken(token)
          .json({ ...example, title })
      ).assertStatus(201)
    }
    const first = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ limit: 2 })
      .bearerToken(token)
    assert.deepEqual(
      first.body().data.map((c: any) => c.title),
      ['C', 'B']
    )
    const second = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ limit: 2, cursor: first.body().meta.nextCursor })
      .bearerToken(token)
    assert.deepEqual(
      second.body().data.map((c: any) => c.title),
      ['A']
    )
    assert.isNull(second.body().meta.nextCursor)
    const bad = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ cursor: 'nope' })
      .bearerToken(token)
    bad.assertStatus(422)
  })

  test('a missing title is a 422 and nothing is saved', async ({ client, assert }) => {
    const { token, company } = await apiUser('staff')
    const response = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: ' ' })
    response.assertStatus(422)
    const count = await db
      .from('ardoise_calculations')
      .where('company_id', company.id)
      .count('* as n')
    assert.equal(Number(count[0].n), 0)
  })

  test('record scopes: own scope sees only its own; other companies see nothing', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiUser('manager')
    const theirs = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Manager’s' })
    const { user } = await memberWithGrants(company.id, [
      { permission: 'ardoise.calculation.read', scope: 'own' },
      { permission: 'ardoise.calculation.create' },
    ])
    const ownToken = await tokenFor(user)
    ;(
      await client
        .post('/api/v1/ardoise/calculations')
        .bearerToken(ownToken)
        .json({ ...example, title: 'Mine' })
    ).assertStatus(201)
    const list = await client.get('/api/v1/ardoise/calculations').bearerToken(ownToken)
    assert.deepEqual(
      list.body().data.map((c: any) => c.title),
      ['Mine']
    )
    const hidden = await client
      .get(`/api/v1/ardoise/calculations/${theirs.body().data.id}`)
      .bearerToken(ownToken)
    hidden.assertStatus(404)

    const other = await apiUser('manager')
    const foreign = await client
      .get(`/api/v1/ardoise/calculations/${theirs.body().data.id}`)
      .bearerToken(other.token)
    foreign.assertStatus(404)
  })

  test('a referenced record must exist in the company and the user’s scope', async ({
    client,
    assert,
  }) => {
    const { company, token, user } = await apiUser('manager')
    const contact = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ kind: 'company', name: 'Mairie de Dinard' })
    const id = contact.body().data.id
    const saved = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Mairie', record: { model: 'contacts.contact', id } })
    saved.assertStatus(201)
    assert.deepEqual(saved.body().data.record, { model: 'contacts.contact', id })
    const byRecord = await client
      .get('/api/v1/ardoise/calculations')
      .qs({ recordModel: 'contacts.contact', recordId: id })
      .bearerToken(token)
    assert.lengthOf(byRecord.body().data, 1)

    const unknownKind = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'X', record: { model: 'nothing.here', id } })
    unknownKind.assertStatus(422)
    assert.equal(unknownKind.body().errors[0].field, 'record.model')

    const other = await apiUser('manager')
    const elsewhere = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(other.token)
      .json({ ...example, title: 'X', record: { model: 'contacts.contact', id } })
    elsewhere.assertStatus(422)
    assert.equal(elsewhere.body().errors[0].field, 'record.id')
    assert.isNotNull(user)
    assert.isNotNull(company)
  })
})

test.group('Ardoise API: tables and formats', () => {
  const replacement = DTU_TABLE_CSV.replace('\n60;92;99;106;', '\n60;95;99;106;')
    .replace(/\n22,5;[^\n]*/, '')
    .concat('450;57;60;64;61;66;70;68;72;75\n')

  test('a replacement CSV: dry run with differences, then a new active version; saved calculations keep theirs', async ({
    client,
    assert,
  }) => {
    const { token, company } = await apiUser('manager')
    const before = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Before', rampant: 5 })
    assert.equal(before.body().data.result.recouvrement, 92)

    const preview = await client
      .post('/api/v1/ardoise/tables/preview')
      .bearerToken(token)
      .file('file', Buffer.from(replacement), { filename: 'dtu-2026.csv' })
    preview.assertStatus(200)
    const dry = preview.body().data
    assert.deepEqual(dry.problems, [])
    assert.equal(dry.nextVersion, 2)
    assert.deepEqual(
      dry.diff.added.map((r: any) => r.pitch),
      [450]
    )
    assert.deepEqual(
      dry.diff.removed.map((r: any) => r.pitch),
      [22.5]
    )
    assert.deepEqual(dry.diff.changed, [{ pitch: 60, zone: 1, band: 1, from: 92, to: 95 }])
    // A dry run writes nothing
    const versions = await db.from('ardoise_tables').where('company_id', company.id)
    assert.lengthOf(versions, 1)

    const loaded = await client
      .post('/api/v1/ardoise/tables')
      .bearerToken(token)
      .file('file', Buffer.from(replacement), { filename: 'dtu-2026.csv' })
    loaded.assertStatus(201)
    assert.containsSubset(loaded.body().data, {
      label: 'DTU 40.11 (1977/1993) — site normal v2',
      isActive: true,
    })

    const after = await client
      .post('/api/v1/ardoise/calculate')
      .bearerToken(token)
      .json({ ...example, rampant: 5 })
    assert.containsSubset(after.body(), {
      recouvrement: 95,
      tableVersion: 'DTU 40.11 (1977/1993) — site normal v2',
    })
    const old = await client
      .get(`/api/v1/ardoise/calculations/${before.body().data.id}`)
      .bearerToken(token)
    assert.containsSubset(old.body().data, {
      tableVersion: DTU_V1,
      result: { recouvrement: 92, tableVersion: DTU_V1 },
    })

    const list = await client.get('/api/v1/ardoise/tables').bearerToken(token)
    assert.deepEqual(
      list.body().data.map((v: any) => [v.version, v.isActive, v.calculations]),
      [
        [2, true, 0],
        [1, false, 1],
      ]
    )
    // Back to version 1
    const v1 = list.body().data[1].id
    ;(await client.post(`/api/v1/ardoise/tables/${v1}/activate`).bearerToken(token)).assertStatus(
      200
    )
    const again = await client
      .post('/api/v1/ardoise/calculate')
      .bearerToken(token)
      .json({ ...example, rampant: 5 })
    assert.equal(again.body().recouvrement, 92)
  })

  test('a broken CSV is refused with the lines at fault and changes nothing', async ({
    client,
    assert,
  }) => {
    const { token, company } = await apiUser('manager')
    const broken = [CSV_HEADER.join(';'), '20;153;x;–;–;–;–;–;–;–'].join('\n')
    const preview = await client
      .post('/api/v1/ardoise/tables/preview')
      .bearerToken(token)
      .file('file', Buffer.from(broken), { filename: 'broken.csv' })
    assert.equal(preview.body().data.problems[0].line, 2)
    assert.isNull(preview.body().data.diff)
    const load = await client
      .post('/api/v1/ardoise/tables')
      .bearerToken(token)
      .file('file', Buffer.from(broken), { filename: 'broken.csv' })
    load.assertStatus(422)
    assert.equal(load.body().errors[0].field, 'file')
    assert.include(load.body().errors[0].message, 'line 2')
    const missing = await client.post('/api/v1/ardoise/tables').bearerToken(token)
    missing.assertStatus(422)
    const versions = await db.from('ardoise_tables').where('company_id', company.id)
    assert.lengthOf(versions, 1)
  })

  test('a table saved by a spreadsheet reads as well: Windows-1252 CSV and XLSX', async ({
    client,
    assert,
  }) => {
    const { token } = await apiUser('manager')
    // French Excel saves "CSV (séparateur: point-virgule)" in Windows-1252: "–" is byte 0x96.
    const latin = Buffer.from(
      [...DTU_TABLE_CSV.replace('\n60;92;', '\n60;95;')].map((c) =>
        c === '–' ? 0x96 : c.charCodeAt(0)
      )
    )
    const csv = await client
      .post('/api/v1/ardoise/tables/preview')
      .bearerToken(token)
      .file('file', latin, { filename: 'table.csv' })
    assert.deepEqual(csv.body().data.problems, [])
    assert.deepEqual(csv.body().data.diff.changed, [
      { pitch: 60, zone: 1, band: 1, from: 92, to: 95 },
    ])

    const lines = DTU_TABLE_CSV.trim()
      .split('\n')
      .map((line) => line.split(';'))
    const sheet = lines.map((cells, i) =>
      cells.map((cell) =>
        i > 0 && cell !== '–' ? { value: Number(cell.replace(',', '.')) } : { value: cell }
      )
    )
    sheet[13][1] = { value: 96 } // 60 %, zone 1, band 1
    assert.equal(lines[13][0], '60')
    const xlsx = await writeXlsxFile(sheet).toBuffer()
    const preview = await client
      .post('/api/v1/ardoise/tables/preview')
      .bearerToken(token)
      .file('file', xlsx, { filename: 'table.xlsx' })
    assert.deepEqual(preview.body().data.problems, [])
    assert.deepEqual(preview.body().data.diff.changed, [
      { pitch: 60, zone: 1, band: 1, from: 92, to: 96 },
    ])
    assert.equal(preview.body().data.diff.unchanged, 23)

    const binary = await client
      .post('/api/v1/ardoise/tables/preview')
      .bearerToken(token)
      .file('file', Buffer.from([0, 1, 2, 3, 4, 5]), { filename: 'table.csv' })
    assert.lengthOf(binary.body().data.problems, 1)
    assert.isNull(binary.body().data.diff)
  })

  test('only managers manage tables and formats by default', async ({ client }) => {
    const { company } = await apiUser('manager')
    for (const role of ['staff', 'technician']) {
      const member = await memberOf(company.id, role)
      const token = await tokenFor(member)
      ;(await client.get('/api/v1/ardoise/tables').bearerToken(token)).assertStatus(403)
      ;(
        await client
          .post('/api/v1/ardoise/formats')
          .bearerToken(token)
          .json({ lengthMm: 400, widthMm: 250 })
      ).assertStatus(403)
      // …but they use the formats in the calculator
      ;(await client.get('/api/v1/ardoise/formats').bearerToken(token)).assertStatus(200)
    }
  })

  test('formats: create, change, delete, with 422 on bad input', async ({ client, assert }) => {
    const { token } = await apiUser('manager')
    const created = await client
      .post('/api/v1/ardoise/formats')
      .bearerToken(token)
      .json({ lengthMm: 600, widthMm: 300, thickness: 5.5, supplier: 'Cupa', priceCents: 245 })
    created.assertStatus(201)
    const id = created.body().data.id
    assert.containsSubset(created.body().data, { thickness: 5.5, priceCents: 245 })
    const changed = await client
      .patch(`/api/v1/ardoise/formats/${id}`)
      .bearerToken(token)
      .json({ lengthMm: 600, widthMm: 300, thickness: 6, supplier: 'Cupa', priceCents: 260 })
    assert.containsSubset(changed.body().data, { thickness: 6, priceCents: 260 })
    const bad = await client
      .post('/api/v1/ardoise/formats')
      .bearerToken(token)
      .json({ lengthMm: -1, widthMm: 'x', priceCents: 1.5 })
    bad.assertStatus(422)
    assert.includeMembers(
      bad.body().errors.map((e: any) => e.field),
      ['lengthMm', 'widthMm', 'priceCents']
    )
    ;(await client.delete(`/api/v1/ardoise/formats/${id}`).bearerToken(token)).assertStatus(204)
    ;(await client.delete(`/api/v1/ardoise/formats/${id}`).bearerToken(token)).assertStatus(404)
  })
})

test.group('Ardoise: history of a saved calculation', () => {
  test('its audit entries are shown to whoever may read it, and to nobody else', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiUser('staff')
    const saved = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Grange Kerlann' })
    saved.assertStatus(201)
    const id = saved.body().data.id

    const history = await client.get(`/api/v1/history/ardoise.calculation/${id}`).bearerToken(token)
    history.assertStatus(200)
    assert.deepEqual(
      history.body().data.map((e: any) => e.event),
      ['created']
    )
    assert.deepEqual(history.body().data[0].changes.title, [null, 'Grange Kerlann'])
    assert.deepEqual(history.body().data[0].changes.feasible, [null, true])

    // The page route the History tab reads, for a colleague who may read every calculation.
    const technician = await memberOf(company.id, 'technician')
    const web = await client
      .get(`/history/ardoise.calculation/${id}`)
      .loginAs(technician)
      .accept('json')
    web.assertStatus(200)
    assert.lengthOf(web.body().data, 1)

    // Outside the reader's scope: own scope on someone else's calculation, another company,
    // a role without calculations, an id that does not exist.
    const { user: own } = await memberWithGrants(company.id, [
      { permission: 'ardoise.calculation.read', scope: 'own' },
    ])
    ;(
      await client.get(`/api/v1/history/ardoise.calculation/${id}`).bearerToken(await tokenFor(own))
    ).assertStatus(404)
    const stranger = await apiUser('admin')
    ;(
      await client.get(`/api/v1/history/ardoise.calculation/${id}`).bearerToken(stranger.token)
    ).assertStatus(404)
    const portal = await memberOf(company.id, 'client')
    ;(
      await client
        .get(`/api/v1/history/ardoise.calculation/${id}`)
        .bearerToken(await tokenFor(portal))
    ).assertStatus(404)
    ;(
      await client.get(`/api/v1/history/ardoise.calculation/${id + 1000}`).bearerToken(token)
    ).assertStatus(404)
  })

  test('the audit page names saved calculations among the audited records', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const page = await client.get('/settings/audit').loginAs(user).withInertia()
    page.assertStatus(200)
    assert.deepInclude(page.inertiaProps.options.models, {
      value: 'ardoise.calculation',
      label: 'Calcul ardoise',
    })
  })
})
