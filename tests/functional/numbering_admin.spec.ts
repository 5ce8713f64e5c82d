import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { ensureSequence, nextNumber } from '#kernel/numbering/numbering'
import type { SequenceDeclaration } from '#kernel/modules/define_module'

async function adminOfNewCompany() {
  const { company, user } = await companyWithUser('admin')
  return { company, user, token: await tokenFor(user) }
}

async function seriesId(companyId: number, key = 'contacts.contact') {
  const row = await db.from('sequences').where({ company_id: companyId, key }).firstOrFail()
  return row.id as number
}

async function declare(companyId: number, declaration: Partial<SequenceDeclaration>) {
  const full = {
    key: `test.${Math.random().toString(36).slice(2, 8)}`,
    label: { fr: 'Série de test', en: 'Test series' },
    reset: 'never',
    ...declaration,
  } as SequenceDeclaration
  await db.transaction((trx) => ensureSequence(companyId, full, trx))
  return { key: full.key, id: await seriesId(companyId, full.key) }
}

function take(companyId: number, key: string, at?: DateTime) {
  return db.transaction(async (trx) => (await nextNumber(trx, companyId, key, at)).formatted)
}

const fieldsOf = (body: any) => body.errors.map((e: any) => e.field)

test.group('Numbering series API', () => {
  test('lists the company’s series with a preview of the next number', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    await take(company.id, 'contacts.contact')
    await take(company.id, 'contacts.contact')

    const list = await client.get('/api/v1/admin/numbering').bearerToken(token)
    list.assertStatus(200)
    const series = list.body().data.find((s: any) => s.key === 'contacts.contact')
    assert.containsSubset(series, {
      module: 'contacts',
      label: 'Codes contacts',
      format: 'CL-{seq:5}',
      padding: 5,
      reset: 'never',
      period: '',
      lastValue: 2,
      nextValue: 3,
      preview: 'CL-00003',
    })

    const shown = await client.get(`/api/v1/admin/numbering/${series.id}`).bearerToken(token)
    shown.assertStatus(200)
    assert.equal(shown.body().data.preview, 'CL-00003')
  })

  test('another company’s series is not found', async ({ client }) => {
    const { token } = await adminOfNewCompany()
    const other = await companyWithUser('admin')
    const id = await seriesId(other.company.id)
    ;(await client.get(`/api/v1/admin/numbering/${id}`).bearerToken(token)).assertStatus(404)
    ;(
      await client.patch(`/api/v1/admin/numbering/${id}`).bearerToken(token).json({ nextValue: 50 })
    ).assertStatus(404)
  })

  test('changes the format, the padding and the reset; numbers follow the new format', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    assert.equal(await take(company.id, 'contacts.contact'), 'CL-00001')

    const updated = await client
      .patch(`/api/v1/admin/numbering/${id}`)
      .bearerToken(token)
      .json({ format: 'C{YY}{MM}-{seq:3}', reset: 'monthly' })
    updated.assertStatus(200)
    const now = DateTime.now().setZone('Europe/Paris')
    assert.containsSubset(updated.body().data, {
      format: `C{YY}{MM}-{seq:3}`,
      padding: 3,
      reset: 'monthly',
      period: now.toFormat('yyyy-MM'),
      // The count goes on in the new period: no number is issued twice.
      lastValue: 1,
      preview: `C${now.toFormat('yyMM')}-002`,
    })
    assert.equal(await take(company.id, 'contacts.contact'), `C${now.toFormat('yyMM')}-002`)

    const padded = await client
      .patch(`/api/v1/admin/numbering/${id}`)
      .bearerToken(token)
      .json({ padding: 6 })
    padded.assertStatus(200)
    assert.equal(padded.body().data.format, 'C{YY}{MM}-{seq:6}')
    assert.equal(await take(company.id, 'contacts.contact'), `C${now.toFormat('yyMM')}-000003`)
  })

  test('refuses broken formats with field errors, and changes nothing', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    const patch = (body: Record<string, unknown>) =>
      client.patch(`/api/v1/admin/numbering/${id}`).bearerToken(token).json(body)

    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ format: 'CL-' }, 'format', /\{seq:N\}/],
      [{ format: 'CL-{seq:3}-{seq:2}' }, 'format', /un seul jeton \{seq\}/],
      [{ format: 'CL-{DD}-{seq:3}' }, 'format', /Jeton inconnu \{DD\}/],
      [{ format: 'CL-{seq:13}' }, 'format', /de 1 à 12/],
      [{ format: 'CL-{seq:5}', reset: 'yearly' }, 'format', /l'année/],
      [{ reset: 'yearly' }, 'reset', /l'année/],
      [{ format: 'CL-{YYYY}-{seq:5}', reset: 'monthly' }, 'format', /le mois/],
      [{ padding: 0 }, 'padding', /.+/],
      [{ padding: 13 }, 'padding', /.+/],
      [{ reset: 'weekly' }, 'reset', /.+/],
      [{ nextValue: 0 }, 'nextValue', /.+/],
      [{ nextValue: 'abc' }, 'nextValue', /.+/],
      [{ format: 'x'.repeat(61) + '{seq:2}' }, 'format', /.+/],
    ]
    for (const [body, field, message] of cases) {
      const refused = await patch(body)
      refused.assertStatus(422)
      assert.include(fieldsOf(refused.body()), field, JSON.stringify(body))
      const error = refused.body().errors.find((e: any) => e.field === field)
      assert.match(error.message, message, JSON.stringify(body))
    }
    const row = await db.from('sequences').where('id', id).first()
    assert.equal(row.format, 'CL-{seq:5}')
    assert.equal(row.reset, 'never')
    assert.lengthOf(
      await db.from('audit_logs').where({ model: 'kernel.sequence', record_id: String(id) }),
      0
    )
  })

  test('the next number moves forward, never below a number already issued', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    for (let i = 0; i < 3; i++) await take(company.id, 'contacts.contact')

    for (const nextValue of [1, 3]) {
      const refused = await client
        .patch(`/api/v1/admin/numbering/${id}`)
        .bearerToken(token)
        .json({ nextValue })
      refused.assertStatus(422)
      assert.deepEqual(fieldsOf(refused.body()), ['nextValue'])
      assert.match(refused.body().errors[0].message, /3 est déjà attribué.*au moins 4/)
    }
    const moved = await client
      .patch(`/api/v1/admin/numbering/${id}`)
      .bearerToken(token)
      .json({ nextValue: 1000 })
    moved.assertStatus(200)
    assert.equal(moved.body().data.preview, 'CL-01000')
    assert.equal(await take(company.id, 'contacts.contact'), 'CL-01000')
    // Setting it to the next number it would take anyway is no change, and allowed.
    ;(
      await client
        .patch(`/api/v1/admin/numbering/${id}`)
        .bearerToken(token)
        .json({ nextValue: 1001 })
    ).assertStatus(200)
    assert.equal(await take(company.id, 'contacts.contact'), 'CL-01001')
  })

  test('a number already issued is never issued again, whatever the new format', async ({
    client,
    assert,
  }) => {
    const { company, token } = await adminOfNewCompany()
    // A yearly series, numbers 2026-0001 and 2026-0002 issued.
    const { key, id } = await declare(company.id, {
      format: 'FA-{YYYY}-{seq:4}',
      reset: 'yearly',
    })
    const at = DateTime.fromISO('2026-06-15T10:00:00Z')
    assert.equal(await take(company.id, key, at), 'FA-2026-0001')
    assert.equal(await take(company.id, key, at), 'FA-2026-0002')

    // Switched to a series that never restarts: its counter starts where the year stood…
    const never = await client
      .patch(`/api/v1/admin/numbering/${id}`)
      .bearerToken(token)
      .json({ reset: 'never' })
    never.assertStatus(200)
    assert.equal(await take(company.id, key, at), 'FA-2026-0003')

    // …and even a counter set back by hand (not possible through the API) skips issued numbers.
    await db
      .from('sequence_counters')
      .where({ sequence_id: id, period: '' })
      .update({ last_value: 0 })
    assert.equal(await take(company.id, key, at), 'FA-2026-0004')
    const issued = await db.from('sequence_numbers').where('sequence_id', id).select('value')
    assert.sameMembers(
      issued.map((r) => r.value),
      ['FA-2026-0001', 'FA-2026-0002', 'FA-2026-0003', 'FA-2026-0004']
    )
  })

  test('every change is audited with its before and after values', async ({ client, assert }) => {
    const { company, user, token } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    ;(
      await client
        .patch(`/api/v1/admin/numbering/${id}`)
        .bearerToken(token)
        .json({ format: 'CLI-{seq:4}', nextValue: 20 })
    ).assertStatus(200)
    const entries = await db
      .from('audit_logs')
      .where({ model: 'kernel.sequence', record_id: String(id) })
      .select('*')
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].event, 'updated')
    assert.equal(entries[0].company_id, company.id)
    assert.equal(entries[0].actor_id, user.id)
    assert.deepEqual(JSON.parse(entries[0].changes), {
      format: ['CL-{seq:5}', 'CLI-{seq:4}'],
      nextValue: [1, 20],
    })

    // The admin audit page and API find it under the series' model.
    const audit = await client
      .get('/api/v1/audit')
      .qs({ model: 'kernel.sequence' })
      .bearerToken(token)
    audit.assertStatus(200)
    assert.equal(audit.body().data[0].recordId, String(id))
  })

  test('members without kernel.numbering.manage are refused', async ({ client }) => {
    const { company } = await adminOfNewCompany()
    const manager = await memberOf(company.id, 'manager')
    const token = await tokenFor(manager)
    const id = await seriesId(company.id)
    ;(await client.get('/api/v1/admin/numbering').bearerToken(token)).assertStatus(403)
    ;(
      await client.patch(`/api/v1/admin/numbering/${id}`).bearerToken(token).json({ nextValue: 9 })
    ).assertStatus(403)
    ;(await client.get('/settings/numbering').loginAs(manager)).assertStatus(403)
  })
})

test.group('Numbering series pages', () => {
  test('the list shows each series with its next number; the edit form saves', async ({
    client,
    assert,
  }) => {
    const { company, user } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    await take(company.id, 'contacts.contact')

    const list = await client.get('/settings/numbering').loginAs(user).withInertia()
    list.assertStatus(200)
    list.assertInertiaComponent('settings/numbering')
    const series = list.inertiaProps.series.find((s: any) => s.id === id)
    assert.equal(series.preview, 'CL-00002')
    assert.equal(series.label, 'Codes contacts')

    const form = await client.get(`/settings/numbering/${id}`).loginAs(user).withInertia()
    form.assertInertiaComponent('settings/numbering_series')
    assert.deepEqual(form.inertiaProps.resets, ['never', 'yearly', 'monthly'])

    const saved = await client
      .put(`/settings/numbering/${id}`)
      .loginAs(user)
      .withCsrfToken()
      .json({ format: 'TIERS-{seq:6}', reset: 'never', nextValue: 500 })
      .redirects(0)
    saved.assertStatus(302)
    saved.assertHeader('location', '/settings/numbering')
    saved.assertFlashMessage('success', 'Série « Codes contacts » enregistrée')
    assert.equal(await take(company.id, 'contacts.contact'), 'TIERS-000500')
  })

  test('a refused change comes back as field errors on the form', async ({ client, assert }) => {
    const { company, user } = await adminOfNewCompany()
    const id = await seriesId(company.id)
    await take(company.id, 'contacts.contact')
    const refused = await client
      .put(`/settings/numbering/${id}`)
      .loginAs(user)
      .withCsrfToken()
      .header('referer', `/settings/numbering/${id}`)
      .json({ format: 'CL-{seq:5}', nextValue: 1 })
      .redirects(0)
    refused.assertStatus(302)
    const errors = refused.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.property(errors, 'nextValue')
    assert.match(errors.nextValue[0], /1 est déjà attribué/)

    const badFormat = await client
      .put(`/settings/numbering/${id}`)
      .loginAs(user)
      .withCsrfToken()
      .header('referer', `/settings/numbering/${id}`)
      .json({ format: 'CL-{seq:5}{seq:2}' })
      .redirects(0)
    assert.property(badFormat.flashMessages().inputErrorsBag, 'format')
    assert.equal((await db.from('sequences').where('id', id).first()).format, 'CL-{seq:5}')
  })
})
