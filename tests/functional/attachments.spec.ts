import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { resolveAccess } from '#kernel/security/access'
import { copyAttachments, listAttachments, sanitizeName } from '#kernel/attachments/attachments'
import ContactService from '#modules/contacts/services/contact_service'
import moduleManager from '#kernel/modules/module_manager'
import sharp from 'sharp'

/**
 * Attachments on records, with contacts as the module that opts in: type
 * and size checked on the content, downloads through the record's
 * permission and scope, encryption at rest, links kept on conversion, audit.
 */

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nKbis de la société Ardoises SARL\n%%EOF\n'
)
// A Windows program's header ("MZ…"), whatever name it is given.
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126, 0x90), Buffer.from('PE\0\0')])

const folder = app.makePath('tmp', 'attachments-test')

async function fixture(name: string, bytes: Buffer) {
  await mkdir(folder, { recursive: true })
  const path = `${folder}/${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${name}`
  await writeFile(path, bytes)
  return path
}

/** A company, its admin, a contact of the admin's and an API token. */
async function scene() {
  const { company, user } = await companyWithUser('admin')
  const access = (await resolveAccess(user.id, company.id))!
  const contact = await new ContactService(access).create({
    kind: 'company',
    name: 'Ardoises SARL',
    ownerId: user.id,
  })
  return { company, user, contact, token: await tokenFor(user) }
}

async function upload(
  client: any,
  token: string,
  contactId: number,
  path: string,
  fields: Record<string, string> = {}
) {
  let request = client
    .post(`/api/v1/attachments/contacts.contact/${contactId}`)
    .bearerToken(token)
    .file('file', path)
  for (const [key, value] of Object.entries(fields)) request = request.field(key, value)
  return request
}

test.group('Attachments', () => {
  test('upload, list, download and delete through the API, audited', async ({ client, assert }) => {
    const { contact, token, company } = await scene()
    const stored = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    stored.assertStatus(201)
    const attachment = stored.body().data
    assert.equal(attachment.mime, 'application/pdf')
    assert.equal(attachment.size, PDF.length)
    assert.isFalse(attachment.encrypted)
    assert.match(attachment.name, /kbis\.pdf$/)

    const list = await client
      .get(`/api/v1/attachments/contacts.contact/${contact.id}`)
      .bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((a: any) => a.id),
      [attachment.id]
    )

    // Stored under a random key, never the client's name.
    const row = await db.from('attachments').where('id', attachment.id).first()
    assert.notInclude(row.storage_key, 'kbis')
    assert.match(row.storage_key, new RegExp(`^${company.id}/contacts/[0-9a-f]{32}$`))

    const download = await client.get(`/api/v1/attachments/${attachment.id}`).bearerToken(token)
    download.assertStatus(200)
    assert.equal(download.header('content-type'), 'application/pdf')
    assert.match(
      download.header('content-disposition') ?? '',
      /^attachment; filename=".*kbis\.pdf"/
    )
    assert.equal(download.header('x-content-type-options'), 'nosniff')
    assert.equal(Buffer.from(download.body()).toString(), PDF.toString())

    const removed = await client.delete(`/api/v1/attachments/${attachment.id}`).bearerToken(token)
    removed.assertStatus(200)
    ;(await client.get(`/api/v1/attachments/${attachment.id}`).bearerToken(token)).assertStatus(404)
    assert.isFalse(await drive.use().exists(row.storage_key))

    const events = await db
      .from('audit_logs')
      .where('model', 'contacts.contact')
      .where('record_id', String(contact.id))
      .whereIn('event', ['attachment.added', 'attachment.removed'])
      .orderBy('id', 'asc')
      .select('event', 'actor_id', 'meta')
    assert.deepEqual(
      events.map((e) => e.event),
      ['attachment.added', 'attachment.removed']
    )
    const meta = typeof events[0].meta === 'string' ? JSON.parse(events[0].meta) : events[0].meta
    assert.equal(meta.attachment, attachment.id)
    assert.equal(meta.mime, 'application/pdf')
  })

  test('deleting a record deletes its attachments, and their bytes unless another record links them', async ({
    client,
    assert,
  }) => {
    const { company, user, contact, token } = await scene()
    const stored = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    const key = (await db.from('attachments').where('id', stored.body().data.id).first())
      .storage_key

    // A second contact linked to the same bytes, as a conversion would.
    const access = (await resolveAccess(user.id, company.id))!
    const other = await new ContactService(access).create({ kind: 'company', name: 'Suite' })
    await db.transaction((trx) =>
      copyAttachments(
        { model: 'contacts.contact', id: contact.id },
        { model: 'contacts.contact', id: other.id },
        trx
      )
    )

    ;(await client.delete(`/api/v1/contacts/${contact.id}`).bearerToken(token)).assertStatus(204)
    assert.lengthOf(
      await db
        .from('attachments')
        .where({ model: 'contacts.contact', record_id: String(contact.id) }),
      0
    )
    assert.isTrue(await drive.use().exists(key), 'still linked by the other contact')

    ;(await client.delete(`/api/v1/contacts/${other.id}`).bearerToken(token)).assertStatus(204)
    assert.isFalse(await drive.use().exists(key))
  })

  test('the type is read from the content: a program renamed .pdf is refused', async ({
    client,
    assert,
  }) => {
    const { contact, token } = await scene()
    const exe = await upload(client, token, contact.id, await fixture('facture.pdf', EXE))
    exe.assertStatus(422)
    assert.equal(exe.body().errors[0].field, 'file')
    assert.equal(exe.body().errors[0].rule, 'attachment_type')

    // An accepted type under another type's name is refused too.
    const renamed = await upload(client, token, contact.id, await fixture('photo.pdf', PNG))
    renamed.assertStatus(422)
    assert.equal(renamed.body().errors[0].rule, 'attachment_mismatch')

    const missing = await client
      .post(`/api/v1/attachments/contacts.contact/${contact.id}`)
      .bearerToken(token)
      .json({})
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'file')

    const photo = await upload(client, token, contact.id, await fixture('photo.png', PNG))
    photo.assertStatus(201)
    assert.equal(photo.body().data.mime, 'image/png')
    assert.equal(
      await db
        .from('attachments')
        .where('record_id', String(contact.id))
        .count('* as n')
        .first()
        .then((r) => Number(r.n)),
      1
    )
  })

  test('files over the model’s size limit are refused with a clear message', async ({
    client,
    assert,
  }) => {
    const { contact, token } = await scene()
    // Contacts accept up to 10 MB.
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length, 0x20)])
    const refused = await upload(client, token, contact.id, await fixture('gros.pdf', big))
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'attachment_size')
    assert.include(refused.body().errors[0].message, '10')
    assert.lengthOf(await db.from('attachments').where('record_id', String(contact.id)), 0)
  })

  test('encrypted at rest when asked: the disk holds other bytes, the download the original', async ({
    client,
    assert,
  }) => {
    const { contact, token } = await scene()
    const stored = await upload(client, token, contact.id, await fixture('attestation.pdf', PDF), {
      encrypt: 'true',
    })
    stored.assertStatus(201)
    assert.isTrue(stored.body().data.encrypted)
    const row = await db.from('attachments').where('id', stored.body().data.id).first()
    const onDisk = Buffer.from(await drive.use().getBytes(row.storage_key))
    assert.notDeepEqual(onDisk, PDF)
    assert.notInclude(onDisk.toString('latin1'), 'Ardoises SARL')
    assert.notInclude(onDisk.toString('latin1'), '%PDF')

    const download = await client.get(`/api/v1/attachments/${row.id}`).bearerToken(token)
    download.assertStatus(200)
    assert.equal(Buffer.from(download.body()).toString(), PDF.toString())
  })

  test('403 without the record’s permission, 404 outside its scope or company', async ({
    client,
    assert,
  }) => {
    const { company, contact, token } = await scene()
    const stored = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    const id = stored.body().data.id

    // Reads contacts, but only their own: the admin's contact is out of scope.
    const own = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.update', scope: 'own' },
    ])
    const ownToken = await tokenFor(own.user)
    ;(
      await client.get(`/api/v1/attachments/contacts.contact/${contact.id}`).bearerToken(ownToken)
    ).assertStatus(404)
    const hidden = await client.get(`/api/v1/attachments/${id}`).bearerToken(ownToken)
    hidden.assertStatus(404)
    assert.notInclude(hidden.text(), '%PDF')
    ;(await upload(client, ownToken, contact.id, await fixture('x.pdf', PDF))).assertStatus(404)
    ;(await client.delete(`/api/v1/attachments/${id}`).bearerToken(ownToken)).assertStatus(404)

    // May read every contact, not edit them: reads the files, adds and removes none.
    const reader = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
    ])
    const readerToken = await tokenFor(reader.user)
    ;(await client.get(`/api/v1/attachments/${id}`).bearerToken(readerToken)).assertStatus(200)
    ;(await upload(client, readerToken, contact.id, await fixture('x.pdf', PDF))).assertStatus(403)
    ;(await client.delete(`/api/v1/attachments/${id}`).bearerToken(readerToken)).assertStatus(403)

    // No permission on contacts at all.
    const stranger = await memberWithGrants(company.id, [])
    const strangerToken = await tokenFor(stranger.user)
    ;(
      await client
        .get(`/api/v1/attachments/contacts.contact/${contact.id}`)
        .bearerToken(strangerToken)
    ).assertStatus(403)
    ;(await client.get(`/api/v1/attachments/${id}`).bearerToken(strangerToken)).assertStatus(403)

    // Another company's admin: not even there.
    const other = await companyWithUser('admin')
    const otherToken = await tokenFor(other.user)
    ;(await client.get(`/api/v1/attachments/${id}`).bearerToken(otherToken)).assertStatus(404)
    ;(
      await client.get(`/api/v1/attachments/contacts.contact/${contact.id}`).bearerToken(otherToken)
    ).assertStatus(404)
    // A model that takes no attachments.
    ;(
      await client.get(`/api/v1/attachments/kernel.user/${own.user.id}`).bearerToken(token)
    ).assertStatus(404)
    assert.lengthOf(await db.from('attachments').where('record_id', String(contact.id)), 1)
  })

  test('pages: upload with a form error, download and delete with a session', async ({
    client,
    assert,
  }) => {
    const { company, user, contact } = await scene()
    const refused = await client
      .post(`/attachments/contacts.contact/${contact.id}`)
      .loginAs(user)
      .withCsrfToken()
      .file('file', await fixture('devis.pdf', EXE))
      .redirects(0)
    refused.assertStatus(302)
    // French by default.
    refused.assertFlashMessage('inputErrorsBag', { file: ["Ce type de fichier n'est pas accepté"] })

    const stored = await client
      .post(`/attachments/contacts.contact/${contact.id}`)
      .loginAs(user)
      .withCsrfToken()
      .file('file', await fixture('Kbis "2026".pdf', PDF))
      .redirects(0)
    stored.assertStatus(302)
    const list = await client.get(`/attachments/contacts.contact/${contact.id}`).loginAs(user)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    const attachment = list.body().data[0]
    assert.notInclude(attachment.name, '"')

    const download = await client.get(`/attachments/${attachment.id}`).loginAs(user)
    download.assertStatus(200)
    assert.match(download.header('content-disposition') ?? '', /^attachment;/)
    assert.equal(download.header('x-content-type-options'), 'nosniff')

    const technician = await memberOf(company.id, 'technician')
    ;(
      await client.delete(`/attachments/${attachment.id}`).loginAs(technician).withCsrfToken()
    ).assertStatus(403)

    const removed = await client
      .delete(`/attachments/${attachment.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    removed.assertStatus(302)
    assert.lengthOf(await db.from('attachments').where('record_id', String(contact.id)), 0)

    const page = await client.get(`/contacts/${contact.id}`).loginAs(user).withInertia()
    page.assertStatus(200)
  })

  test('copyAttachments links the files of a converted record, bytes kept once', async ({
    client,
    assert,
  }) => {
    const { company, user, contact, token } = await scene()
    const access = (await resolveAccess(user.id, company.id))!
    const target = await new ContactService(access).create({
      kind: 'company',
      name: 'Ardoises SARL (reprise)',
      ownerId: user.id,
    })
    const first = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    await upload(client, token, contact.id, await fixture('photo.png', PNG), { encrypt: 'true' })

    const copied = await db.transaction((trx) =>
      copyAttachments(
        { model: 'contacts.contact', id: contact.id },
        { model: 'contacts.contact', id: target.id },
        trx
      )
    )
    assert.equal(copied, 2)
    const linked = await listAttachments(access, 'contacts.contact', target.id)
    assert.deepEqual(
      linked.map((a) => [a.mime, a.encrypted]),
      [
        ['application/pdf', false],
        ['image/png', true],
      ]
    )
    const keys = await db
      .from('attachments')
      .whereIn('record_id', [String(contact.id), String(target.id)])
      .select('storage_key')
    assert.equal(new Set(keys.map((k) => k.storage_key)).size, 2)

    // Removing the original's file keeps the bytes the converted record still names.
    ;(
      await client.delete(`/api/v1/attachments/${first.body().data.id}`).bearerToken(token)
    ).assertStatus(200)
    const kept = await client.get(`/api/v1/attachments/${linked[0].id}`).bearerToken(token)
    kept.assertStatus(200)
    assert.equal(Buffer.from(kept.body()).toString(), PDF.toString())
    const photo = await client.get(`/api/v1/attachments/${linked[1].id}`).bearerToken(token)
    assert.deepEqual(Buffer.from(photo.body()), PNG)

    // Rolled back with the conversion: nothing linked.
    await db
      .transaction(async (trx) => {
        await copyAttachments(
          { model: 'contacts.contact', id: contact.id },
          { model: 'contacts.contact', id: 999999 },
          trx
        )
        throw new Error('conversion failed')
      })
      .catch(() => {})
    assert.lengthOf(await db.from('attachments').where('record_id', '999999'), 0)
  })

  test('images get an upright WebP thumbnail, served through the same checks', async ({
    client,
    assert,
  }) => {
    const { company, contact, token } = await scene()
    const photo = await sharp({
      create: { width: 800, height: 600, channels: 3, background: '#b33' },
    })
      .jpeg()
      .toBuffer()
    const stored = await upload(client, token, contact.id, await fixture('toiture.jpg', photo), {
      encrypt: 'true',
    })
    stored.assertStatus(201)
    assert.isTrue(stored.body().data.thumbnail)
    const id = stored.body().data.id

    const thumbnail = await client.get(`/api/v1/attachments/${id}/thumbnail`).bearerToken(token)
    thumbnail.assertStatus(200)
    assert.equal(thumbnail.header('content-type'), 'image/webp')
    assert.equal(thumbnail.header('x-content-type-options'), 'nosniff')
    const meta = await sharp(Buffer.from(thumbnail.body())).metadata()
    assert.equal(meta.format, 'webp')
    assert.equal(meta.width, 320)
    assert.equal(meta.height, 240)

    // Encrypted like its image.
    const row = await db.from('attachments').where('id', id).first()
    const onDisk = Buffer.from(await drive.use().getBytes(row.thumbnail_key))
    assert.notEqual(onDisk.subarray(0, 4).toString(), 'RIFF')

    const outsider = await memberWithGrants(company.id, [])
    ;(
      await client
        .get(`/api/v1/attachments/${id}/thumbnail`)
        .bearerToken(await tokenFor(outsider.user))
    ).assertStatus(403)

    const pdf = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    assert.isFalse(pdf.body().data.thumbnail)
    ;(
      await client.get(`/api/v1/attachments/${pdf.body().data.id}/thumbnail`).bearerToken(token)
    ).assertStatus(404)

    ;(await client.delete(`/api/v1/attachments/${id}`).bearerToken(token)).assertStatus(200)
    assert.isFalse(await drive.use().exists(row.thumbnail_key))
  })

  test('a disabled module’s attachments answer 404, and come back when it is enabled', async ({
    client,
  }) => {
    const { contact, token } = await scene()
    const stored = await upload(client, token, contact.id, await fixture('kbis.pdf', PDF))
    const id = stored.body().data.id
    await moduleManager.disable('contacts')
    try {
      ;(await client.get(`/api/v1/attachments/${id}`).bearerToken(token)).assertStatus(404)
      ;(
        await client.get(`/api/v1/attachments/contacts.contact/${contact.id}`).bearerToken(token)
      ).assertStatus(404)
      ;(await upload(client, token, contact.id, await fixture('x.pdf', PDF))).assertStatus(404)
    } finally {
      await moduleManager.enable('contacts')
    }
    ;(await client.get(`/api/v1/attachments/${id}`).bearerToken(token)).assertStatus(200)
  })

  test('file names are sanitised for display and headers', ({ assert }) => {
    assert.equal(sanitizeName('../../etc/passwd'), 'passwd')
    assert.equal(sanitizeName('C:\\Users\\x\\Kbis "2026".pdf'), 'Kbis 2026.pdf')
    assert.equal(sanitizeName('a\u0000b\r\n.pdf'), 'ab.pdf')
    assert.equal(sanitizeName('...'), 'file')
    assert.equal(sanitizeName('x'.repeat(300) + '.pdf').length, 200)
    assert.isTrue(sanitizeName('x'.repeat(300) + '.pdf').endsWith('.pdf'))
  })
})
