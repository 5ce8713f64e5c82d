import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { contactsCsv, tmpFile } from '#tests/helpers/imports'

const KIND = 'contacts.contacts'

async function contactCount(companyId: number) {
  const row = await db.from('contacts').where('company_id', companyId).count('* as n').first()
  return Number(row.n)
}

function upload(client: any, token: string, path: string, kind = KIND) {
  return client.post(`/api/v1/imports/${kind}`).bearerToken(token).file('file', path)
}

test.group('Imports API', () => {
  test('upload → mapping → dry run with the refused rows paged → 422 apply → exclude → apply, audited', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const file = await tmpFile(
      'api.csv',
      contactsCsv(
        120,
        {
          3: ['Trois', 'Entreprise', 'faux@', 'oui', '', '', '', '30'],
          77: ['Soixante-dix-sept', 'Coopérative', '', 'oui', '', '', '', '30'],
        },
        'api'
      )
    )
    const started = await upload(client, token, file)
    started.assertStatus(201)
    const created = started.body().data
    assert.equal(created.rowCount, 120)
    assert.equal(created.status, 'uploaded')
    assert.equal(created.encoding, 'utf-8')
    assert.equal(created.delimiter, ';')
    assert.isFalse(created.mappingRemembered)
    assert.equal(created.mapping.name, 'Raison sociale')
    assert.deepEqual(created.samples[0].slice(0, 3), [
      'Entreprise api 1',
      'Entreprise',
      'contact1@api.example.fr',
    ])
    const id = created.id

    // Applying before a dry run is a conflict.
    ;(await client.post(`/api/v1/imports/${id}/apply`).bearerToken(token)).assertStatus(409)

    const checked = await client.post(`/api/v1/imports/${id}/check`).bearerToken(token).json({})
    checked.assertStatus(200)
    assert.deepEqual(checked.body().data, { create: 118, update: 0, refuse: 2, excluded: 0 })
    assert.equal(await contactCount(company.id), 0, 'the dry run wrote nothing')

    const refused = await client
      .get(`/api/v1/imports/${id}/rows`)
      .qs({ action: 'refuse' })
      .bearerToken(token)
    refused.assertStatus(200)
    assert.deepEqual(refused.body().data, [
      {
        line: 4,
        action: 'refuse',
        recordId: null,
        problems: [{ field: 'email', rule: 'email', message: 'Adresse e-mail invalide' }],
      },
      {
        line: 78,
        action: 'refuse',
        recordId: null,
        problems: [
          { field: 'kind', rule: 'enum', message: 'Valeur inconnue : company, person attendu' },
        ],
      },
    ])
    // Keyset pages of the whole list.
    const first = await client
      .get(`/api/v1/imports/${id}/rows`)
      .qs({ limit: 50 })
      .bearerToken(token)
    assert.lengthOf(first.body().data, 50)
    const second = await client
      .get(`/api/v1/imports/${id}/rows`)
      .qs({ limit: 50, cursor: first.body().meta.nextCursor })
      .bearerToken(token)
    assert.equal(second.body().data[0].line, 52)

    const notReady = await client.post(`/api/v1/imports/${id}/apply`).bearerToken(token)
    notReady.assertStatus(422)
    assert.equal(notReady.body().errors[0].field, 'rows')
    assert.equal(await contactCount(company.id), 0)

    const excluded = await client
      .post(`/api/v1/imports/${id}/check`)
      .bearerToken(token)
      .json({ excludeRefused: true })
    assert.deepEqual(excluded.body().data, { create: 118, update: 0, refuse: 0, excluded: 2 })

    const applied = await client.post(`/api/v1/imports/${id}/apply`).bearerToken(token)
    applied.assertStatus(200)
    assert.deepEqual(applied.body().data, { create: 118, update: 0, refuse: 0, excluded: 2 })
    assert.equal(await contactCount(company.id), 118)

    const status = await client.get(`/api/v1/imports/${id}/status`).bearerToken(token)
    assert.equal(status.body().data.status, 'applied')
    assert.deepInclude(status.body().data.progress, {
      phase: 'apply',
      done: 118,
      total: 118,
      finished: true,
    })
    ;(await client.post(`/api/v1/imports/${id}/apply`).bearerToken(token)).assertStatus(409)
    ;(
      await client.put(`/api/v1/imports/${id}/mapping`).bearerToken(token).json({ mapping: {} })
    ).assertStatus(409)

    const event = await db
      .from('audit_logs')
      .where({ company_id: company.id, event: 'import.applied' })
      .first()
    assert.equal(event.actor_id, user.id)
    assert.deepInclude(JSON.parse(event.meta), {
      kind: KIND,
      create: 118,
      excluded: 2,
      importId: id,
      file: 'api.csv',
    })
    const stored = await db.from('imports').where('id', id).first()
    assert.isNull(stored.content, 'the file is not kept once applied')
  }).timeout(60_000)

  test('the mapping is remembered per company and kind for files with the same columns', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const csv = 'Colonne A;Colonne B\nToitures du Léon;leon@example.fr\n'
    const first = await upload(client, token, await tmpFile('odd.csv', csv))
    assert.deepEqual(first.body().data.mapping, {}, 'nothing to guess from these titles')

    const saved = await client
      .put(`/api/v1/imports/${first.body().data.id}/mapping`)
      .bearerToken(token)
      .json({ mapping: { name: 'Colonne A', email: 'Colonne B', phone: null } })
    saved.assertStatus(200)
    assert.deepEqual(saved.body().data.mapping, { name: 'Colonne A', email: 'Colonne B' })

    // Same columns, spelt with other case: pre-filled, with this file's spelling.
    const again = await upload(
      client,
      token,
      await tmpFile('odd2.csv', 'colonne a;COLONNE B\nX;x@example.fr\n')
    )
    assert.isTrue(again.body().data.mappingRemembered)
    assert.deepEqual(again.body().data.mapping, { name: 'colonne a', email: 'COLONNE B' })
    const same = await upload(client, token, await tmpFile('odd3.csv', csv))
    assert.isTrue(same.body().data.mappingRemembered)
    assert.deepEqual(same.body().data.mapping, { name: 'Colonne A', email: 'Colonne B' })
    // Other columns: another shape, nothing remembered.
    const otherShape = await upload(
      client,
      token,
      await tmpFile('odd5.csv', 'Colonne A;Autre\nX;Y\n')
    )
    assert.isFalse(otherShape.body().data.mappingRemembered)

    // Another company does not see it.
    const { user: other } = await companyWithUser('admin')
    const elsewhere = await upload(client, await tokenFor(other), await tmpFile('odd4.csv', csv))
    assert.isFalse(elsewhere.body().data.mappingRemembered)
  })

  test('422s: no file, an unreadable file, an unknown column, a bad exclusion list', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const none = await client.post(`/api/v1/imports/${KIND}`).bearerToken(token)
    none.assertStatus(422)
    assert.equal(none.body().errors[0].field, 'file')

    const xls = await upload(
      client,
      token,
      await tmpFile('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    )
    xls.assertStatus(422)
    assert.deepEqual(xls.body().errors[0], {
      field: 'file',
      rule: 'xls',
      message: "L'ancien format .xls n'est pas lu : enregistrez le fichier en .xlsx ou en CSV",
    })
    const empty = await upload(client, token, await tmpFile('empty.csv', ''))
    empty.assertStatus(422)

    const ok = await upload(client, token, await tmpFile('ok.csv', contactsCsv(3)))
    const id = ok.body().data.id
    const unknown = await client
      .put(`/api/v1/imports/${id}/mapping`)
      .bearerToken(token)
      .json({ mapping: { name: 'Pas une colonne' } })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'mapping.name')
    const twice = await client
      .put(`/api/v1/imports/${id}/mapping`)
      .bearerToken(token)
      .json({ mapping: { name: 'Ville', city: 'Ville' } })
    twice.assertStatus(422)
    const badBody = await client
      .put(`/api/v1/imports/${id}/mapping`)
      .bearerToken(token)
      .json({ mapping: 'x' })
    badBody.assertStatus(422)
    const badExcluded = await client
      .post(`/api/v1/imports/${id}/check`)
      .bearerToken(token)
      .json({ excluded: ['deux'] })
    badExcluded.assertStatus(422)
    const badRows = await client
      .get(`/api/v1/imports/${id}/rows`)
      .qs({ action: 'all' })
      .bearerToken(token)
    badRows.assertStatus(422)
  })

  test('permissions: the kind’s permission, create or update, the import’s owner; unknown kinds', async ({
    client,
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const file = await tmpFile('perm.csv', contactsCsv(2))

    const { user: noImport } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.create', scope: 'all' },
    ])
    const refused = await upload(client, await tokenFor(noImport), file)
    refused.assertStatus(403)
    const kinds = await client.get('/api/v1/imports/kinds').bearerToken(await tokenFor(noImport))
    assert.deepEqual(kinds.body().data, [])

    const { user: importOnly } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.import', scope: 'all' },
    ])
    ;(await upload(client, await tokenFor(importOnly), file)).assertStatus(403)

    // A technician has neither.
    const technician = await memberOf(company.id, 'technician')
    ;(await upload(client, await tokenFor(technician), file)).assertStatus(403)
    const page = await client.get('/imports').loginAs(technician).withInertia()
    page.assertStatus(200)
    page.assertInertiaPropsContains({ kinds: [] })

    const adminToken = await tokenFor(admin)
    ;(await upload(client, adminToken, file, 'contacts.nothing')).assertStatus(404)
    ;(await upload(client, adminToken, file, 'nomodule.things')).assertStatus(404)

    // An import is its starter's own: another admin of the company gets 404.
    const mine = (await upload(client, adminToken, file)).body().data.id
    const otherAdmin = await memberOf(company.id, 'admin')
    const otherToken = await tokenFor(otherAdmin)
    for (const [method, url] of [
      ['get', `/api/v1/imports/${mine}`],
      ['get', `/api/v1/imports/${mine}/status`],
      ['get', `/api/v1/imports/${mine}/rows`],
      ['post', `/api/v1/imports/${mine}/check`],
      ['post', `/api/v1/imports/${mine}/apply`],
    ]) {
      const response = await (client as any)[method](url).bearerToken(otherToken)
      assert.equal(response.status(), 404, `${method} ${url}`)
    }
    const list = await client.get('/api/v1/imports').bearerToken(otherToken)
    assert.deepEqual(list.body().data, [])
    const own = await client.get('/api/v1/imports').bearerToken(adminToken)
    assert.deepEqual(
      own.body().data.map((i: any) => i.id),
      [mine]
    )
  })

  test('progress: a poll sees the apply under way on PostgreSQL, while SQLite makes it wait for the commit; the dry run’s outcome is kept', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const csv = contactsCsv(3000, {}, 'live')
    const id = (await upload(client, await tokenFor(user), await tmpFile('live.csv', csv))).body()
      .data.id
    const status = async () => (await client.get(`/imports/${id}/status`).loginAs(user)).body().data

    /** Runs `request` while polling the status; the progress seen before it ended. */
    async function watch(request: any, phase: string) {
      const seen: { done: number; total: number; finished?: boolean }[] = []
      let finished = false
      const done = request.then((response: any) => {
        finished = true
        return response
      })
      while (!finished) {
        const { progress } = await status()
        if (!finished && progress?.phase === phase) seen.push(progress)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      ;(await done).assertStatus(302)
      return seen
    }

    const checking = await watch(
      client.post(`/imports/${id}/check`).loginAs(user).withCsrfToken().redirects(0),
      'check'
    )
    // How far a dry run got is kept once it ends (its live reports are timed by the machine:
    // the pipeline's own test counts them).
    assert.deepInclude((await status()).progress, {
      phase: 'check',
      done: 3000,
      total: 3000,
      finished: true,
    })
    assert.isTrue(checking.every((p) => p.total === 3000 && p.done > 0))

    const applying = await watch(
      client.post(`/imports/${id}/apply`).loginAs(user).withCsrfToken().redirects(0),
      'apply'
    )
    const midway = applying.filter((p) => p.done > 0 && p.done < 3000 && !p.finished)
    if (db.connection().dialect.name === 'postgres') {
      assert.isAbove(midway.length, 0, JSON.stringify(applying.slice(0, 5)))
    } else {
      // One writer: a request during the apply waits for the commit, then is answered.
      assert.deepEqual(midway, [])
    }
    assert.deepInclude((await status()).progress, { phase: 'apply', done: 3000, finished: true })
    assert.equal(await contactCount(company.id), 3000)
  }).timeout(180_000)
})

test.group('Imports pages', () => {
  test('upload from the page, the mapping page, a form error on a bad file', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const index = await client.get('/imports').loginAs(user).withInertia()
    index.assertStatus(200)
    index.assertInertiaComponent('imports/index')
    // Every enabled module's kinds: contacts' and stock's.
    assert.deepEqual(
      index
        .body()
        .props.kinds.map((k: any) => k.kind)
        .sort(),
      [KIND, 'stock.articles']
    )

    const bad = await client
      .post(`/imports/${KIND}`)
      .loginAs(user)
      .withCsrfToken()
      .file('file', await tmpFile('bad.csv', ''))
      .redirects(0)
    bad.assertStatus(302)
    bad.assertFlashMessage('inputErrorsBag', { file: ['Le fichier est vide'] })

    const started = await client
      .post(`/imports/${KIND}`)
      .loginAs(user)
      .withCsrfToken()
      .file('file', await tmpFile('page.csv', contactsCsv(5)))
      .redirects(0)
    started.assertStatus(302)
    const location = started.header('location') ?? ''
    assert.match(location, /^\/imports\/\d+$/)
    const show = await client.get(location).loginAs(user).withInertia()
    show.assertInertiaComponent('imports/show')
    assert.equal(show.body().props.import.mapping.email, 'E-mail')
    assert.equal(show.body().props.import.rowCount, 5)
  })
})
