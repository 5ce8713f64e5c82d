import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { extname } from 'node:path'
import { Exception } from '@adonisjs/core/exceptions'
import { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import env from '#start/env'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import type { AttachmentDeclaration, RecordDeclaration } from '#kernel/modules/define_module'
import type { Access } from '#kernel/security/access'
import { scopeReaches } from '#kernel/security/abilities'
import { accessDenied } from '#kernel/audit/auth_events'
import { record } from '#kernel/audit/audit'
import { dbNow } from '#kernel/db/timestamp'
import { fieldError } from '#kernel/http/field_error'
import { ATTACHMENT_TYPES, DEFAULT_ATTACHMENT_BYTES } from './types.js'

/**
 * Attachments: files on the records of modules that opt in (the manifest's
 * `attachments`). Every entry point takes the caller's Access and checks the
 * record first — 404 when the record is outside the caller's scope (or its
 * module is disabled), 403 without the permission — so a file goes out only
 * to whoever may see its record, never from a public URL.
 */

/** One model's attachment rules, resolved from its module's manifest. */
export interface AttachmentRules {
  model: string
  module: string
  record: RecordDeclaration
  permission: string
  writePermission: string
  maxBytes: number
  types: string[]
  encrypt: boolean
}

export interface AttachmentRow {
  id: number
  companyId: number
  model: string
  recordId: string
  name: string
  mime: string
  size: number
  sha256: string
  encrypted: boolean
  /** Whether a thumbnail exists (images), served at /attachments/<id>/thumbnail */
  thumbnail: boolean
  uploadedBy: number | null
  createdAt: string
}

/** A text in the request's language (attachments.<key>), `fallback` outside a request. */
function say(key: string, fallback: string, values: Record<string, unknown> = {}) {
  const i18n = HttpContext.get()?.i18n
  return i18n ? i18n.t(`attachments.${key}`, values) : fallback
}

function notFound() {
  return new Exception('Record not found', { status: 404, code: 'E_NOT_FOUND' })
}

async function forbidden(permission: string) {
  await accessDenied({ permission })
  return new Exception(`Missing permission ${permission}`, { status: 403, code: 'E_FORBIDDEN' })
}

/** The rules of `model`, or null when no enabled module declares attachments for it. */
export async function attachmentRules(model: string): Promise<AttachmentRules | null> {
  const name = model.split('.')[0]
  if (!registry.has(name)) return null
  const manifest = registry.get(name)
  const declaration: AttachmentDeclaration | undefined = manifest.attachments?.[model]
  const recordDeclaration = manifest.records?.find((r) => r.model === model)
  if (!declaration || !recordDeclaration) return null
  if (!(await moduleManager.isEnabled(name))) return null
  return {
    model,
    module: name,
    record: recordDeclaration,
    permission: declaration.permission ?? recordDeclaration.permission,
    writePermission: declaration.writePermission,
    maxBytes: declaration.maxBytes ?? DEFAULT_ATTACHMENT_BYTES,
    types: declaration.types ?? Object.keys(ATTACHMENT_TYPES),
    encrypt: declaration.encrypt ?? false,
  }
}

/**
 * Checks that `access` may read (or, with `write`, change) the attachments
 * of one record, and returns the model's rules. Throws 404 when the record
 * does not exist or lies outside the caller's read scope, 403 when the
 * permission is missing or its scope does not reach the record.
 */
export async function authorizeRecord(
  access: Access,
  model: string,
  recordId: string | number,
  mode: 'read' | 'write'
): Promise<AttachmentRules> {
  const rules = await attachmentRules(model)
  if (!rules) throw notFound()
  const id = Number(recordId)
  if (!Number.isSafeInteger(id) || id < 1) throw notFound()
  const columns = rules.record.columns ?? {}
  const row = await db
    .from(rules.record.table)
    .where('id', id)
    .select(
      `${columns.company ?? 'company_id'} as company_id`,
      `${columns.owner ?? 'owner_id'} as owner_id`,
      `${columns.team ?? 'team_id'} as team_id`
    )
    .first()
  const place = row && {
    companyId: Number(row.company_id),
    ownerId: row.owner_id === null ? null : Number(row.owner_id),
    teamId: row.team_id === null ? null : Number(row.team_id),
  }
  // Outside the company, or not there at all: nothing to tell.
  if (!place || place.companyId !== access.companyId) throw notFound()
  const readScope = access.scopeFor(rules.permission)
  if (readScope === null) throw await forbidden(rules.permission)
  if (!scopeReaches(access, readScope, place)) throw notFound()
  if (mode === 'write') {
    const writeScope = access.scopeFor(rules.writePermission)
    if (writeScope === null || !scopeReaches(access, writeScope, place)) {
      throw await forbidden(rules.writePermission)
    }
  }
  return rules
}

function toRow(row: any): AttachmentRow {
  const created = row.created_at
  return {
    id: Number(row.id),
    companyId: Number(row.company_id),
    model: row.model,
    recordId: String(row.record_id),
    name: row.original_name,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    encrypted: Boolean(row.encrypted),
    thumbnail: Boolean(row.thumbnail_key),
    uploadedBy: row.uploaded_by === null ? null : Number(row.uploaded_by),
    createdAt: created instanceof Date ? created.toISOString() : String(created),
  }
}

/** The attachments of one record, oldest first, for a reader of the record. */
export async function listAttachments(access: Access, model: string, recordId: string | number) {
  await authorizeRecord(access, model, recordId, 'read')
  const rows = await db
    .from('attachments')
    .where('company_id', access.companyId)
    .where('model', model)
    .where('record_id', String(recordId))
    .orderBy('id', 'asc')
  return rows.map(toRow)
}

/**
 * A file name fit for display and a Content-Disposition header: no folders,
 * no control characters or quotes, at most 200 characters; "file" when
 * nothing is left.
 */
export function sanitizeName(name: string | undefined | null): string {
  const base = String(name ?? '')
    .normalize('NFC')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  if (!base) return 'file'
  if (base.length <= 200) return base
  const ext = extname(base).slice(0, 20)
  return base.slice(0, 200 - ext.length) + ext
}

/** Whether bytes read as plain text: valid UTF-8 with no control bytes but tab and newlines. */
function isPlainText(bytes: Buffer) {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // eslint-disable-next-line no-control-regex
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)
  } catch {
    return false
  }
}

/**
 * The file's type read from its bytes, refused (as a field error on `field`)
 * when the model does not accept it or when the name's extension claims
 * another type (a program renamed `.pdf`).
 */
export async function detectType(bytes: Buffer, name: string, accepted: string[], field = 'file') {
  const detected = await fileTypeFromBuffer(bytes)
  let mime: string | undefined = detected?.mime
  if (!detected && bytes.length > 0 && isPlainText(bytes)) mime = 'text/plain'
  if (!mime || !accepted.includes(mime)) {
    throw fieldError(field, say('type', 'This type of file is not accepted'), 'attachment_type')
  }
  const ext = extname(name).slice(1).toLowerCase()
  if (ext && !ATTACHMENT_TYPES[mime].includes(ext)) {
    throw fieldError(
      field,
      say('mismatch', 'The file’s content does not match its extension'),
      'attachment_mismatch'
    )
  }
  return mime
}

const KEY_INFO = 'charpente attachments v1'

/** The at-rest key: derived from APP_KEY, so rotating APP_KEY needs re-encryption. */
function attachmentKey() {
  const appKey = env.get('APP_KEY').release()
  return Buffer.from(hkdfSync('sha256', appKey, 'charpente-attachments', KEY_INFO, 32))
}

/** AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext. */
export function encryptBytes(plain: Buffer) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', attachmentKey(), iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

export function decryptBytes(stored: Buffer) {
  const decipher = createDecipheriv('aes-256-gcm', attachmentKey(), stored.subarray(0, 12))
  decipher.setAuthTag(stored.subarray(12, 28))
  return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()])
}

/** Images that get a thumbnail. */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
export const THUMBNAIL_SIZE = 320

/**
 * A WebP thumbnail of an image, at most THUMBNAIL_SIZE pixels a side, turned
 * upright from its EXIF orientation (which it drops, with the rest of the
 * metadata); null for other types or an image that does not decode.
 */
export async function makeThumbnail(bytes: Buffer, mime: string): Promise<Buffer | null> {
  if (!THUMBNAIL_TYPES.has(mime)) return null
  try {
    return await sharp(bytes, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer()
  } catch {
    return null
  }
}

export interface UploadedFile {
  /** The bytes received */
  bytes: Buffer
  /** The name the client gave (only shown, never used to store) */
  clientName: string
}

/**
 * Stores a file on a record after checking the caller may change the record,
 * the size and the type (read from the content). Encrypted at rest when the
 * model's rules or the caller ask. The row and its audit entry commit
 * together; the stored bytes are removed again if that fails.
 */
export async function addAttachment(
  access: Access,
  model: string,
  recordId: string | number,
  file: UploadedFile,
  options: { encrypt?: boolean } = {}
): Promise<AttachmentRow> {
  const rules = await authorizeRecord(access, model, recordId, 'write')
  if (file.bytes.length === 0)
    throw fieldError('file', say('empty_file', 'The file is empty'), 'attachment_empty')
  if (file.bytes.length > rules.maxBytes) {
    const mb = Math.floor((rules.maxBytes / (1024 * 1024)) * 10) / 10
    throw fieldError(
      'file',
      say('too_large', `The file is larger than ${mb} MB`, { mb }),
      'attachment_size'
    )
  }
  const name = sanitizeName(file.clientName)
  const mime = await detectType(file.bytes, name, rules.types)
  const encrypted = rules.encrypt || options.encrypt === true
  const sha256 = createHash('sha256').update(file.bytes).digest('hex')
  const key = `${access.companyId}/${rules.module}/${randomBytes(16).toString('hex')}`
  const disk = drive.use()
  const seal = (bytes: Buffer) => (encrypted ? encryptBytes(bytes) : bytes)
  const thumbnail = await makeThumbnail(file.bytes, mime)
  const thumbnailKey = thumbnail ? `${key}.thumb` : null
  await disk.put(key, seal(file.bytes))
  try {
    if (thumbnail) await disk.put(thumbnailKey!, seal(thumbnail))
    return await db.transaction(async (trx) => {
      const values = {
        company_id: access.companyId,
        model,
        record_id: String(recordId),
        disk: env.get('DRIVE_DISK', 'fs'),
        storage_key: key,
        original_name: name,
        mime,
        size: file.bytes.length,
        sha256,
        encrypted,
        thumbnail_key: thumbnailKey,
        uploaded_by: access.userId,
        created_at: dbNow(trx),
      }
      const [inserted] = await trx.table('attachments').insert(values).returning('id')
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
      await record(trx, {
        event: 'attachment.added',
        model,
        recordId: String(recordId),
        meta: { attachment: id, name, mime, size: values.size, encrypted },
        actor: { companyId: access.companyId, actorId: access.userId },
      })
      return toRow({ ...values, id })
    })
  } catch (error) {
    await disk.delete(key).catch(() => {})
    if (thumbnailKey) await disk.delete(thumbnailKey).catch(() => {})
    throw error
  }
}

/**
 * One attachment, after checking its record: 404 when it does not exist or
 * its record lies outside the caller's scope, 403 without the permission.
 */
export async function findAttachment(access: Access, id: string | number, mode: 'read' | 'write') {
  const number = Number(id)
  if (!Number.isSafeInteger(number) || number < 1) throw notFound()
  const row = await db
    .from('attachments')
    .where('id', number)
    .where('company_id', access.companyId)
    .first()
  if (!row) throw notFound()
  await authorizeRecord(access, row.model, row.record_id, mode)
  return {
    row: toRow(row),
    key: row.storage_key as string,
    thumbnailKey: row.thumbnail_key as string | null,
    // The disk the file was written to, even if the site's default has changed since
    disk: drive.use(row.disk),
  }
}

/** The attachment's original bytes (decrypted when stored encrypted). */
export async function readAttachment(access: Access, id: string | number) {
  const { row, key, disk } = await findAttachment(access, id, 'read')
  const stored = Buffer.from(await disk.getBytes(key))
  return { attachment: row, bytes: row.encrypted ? decryptBytes(stored) : stored }
}

/** The attachment's thumbnail (a WebP image), or null when it has none. */
export async function readThumbnail(access: Access, id: string | number) {
  const { row, thumbnailKey, disk } = await findAttachment(access, id, 'read')
  if (!thumbnailKey) return null
  const stored = Buffer.from(await disk.getBytes(thumbnailKey))
  return row.encrypted ? decryptBytes(stored) : stored
}

/** Removes an attachment (audited); its bytes go with the last row naming them. */
export async function removeAttachment(access: Access, id: string | number) {
  const { row, key, thumbnailKey, disk } = await findAttachment(access, id, 'write')
  await db.transaction(async (trx) => {
    await trx.from('attachments').where('id', row.id).delete()
    await record(trx, {
      event: 'attachment.removed',
      model: row.model,
      recordId: row.recordId,
      meta: { attachment: row.id, name: row.name, mime: row.mime, size: row.size },
      actor: { companyId: access.companyId, actorId: access.userId },
    })
  })
  const shared = await db.from('attachments').where('storage_key', key).first()
  if (!shared) {
    await disk.delete(key)
    if (thumbnailKey) await disk.delete(thumbnailKey)
  }
  return row
}

/**
 * A record is being deleted: its attachments go with it, in the deleting
 * transaction (audited once, with how many). The stored bytes are removed
 * after the commit, unless another record still links them (a converted
 * record keeps its copy). Modules call it from their delete path.
 */
export async function forgetAttachments(
  client: TransactionClientContract,
  model: string,
  recordId: string | number
) {
  const rows = await client
    .from('attachments')
    .where('model', model)
    .where('record_id', String(recordId))
    .select('id', 'company_id', 'disk', 'storage_key', 'thumbnail_key')
  if (rows.length === 0) return 0
  await client
    .from('attachments')
    .whereIn(
      'id',
      rows.map((row: any) => row.id)
    )
    .delete()
  await record(client, {
    event: 'attachment.removed',
    model,
    recordId: String(recordId),
    meta: { withRecord: true, count: rows.length },
  })
  client.after('commit', async () => {
    for (const row of rows) {
      const shared = await db.from('attachments').where('storage_key', row.storage_key).first()
      if (shared) continue
      const disk = drive.use(row.disk)
      await disk.delete(row.storage_key).catch(() => {})
      if (row.thumbnail_key) await disk.delete(row.thumbnail_key).catch(() => {})
    }
  })
  return rows.length
}

/**
 * Keeps a record's files when it is converted into another (a request into
 * a work order, a quote into an invoice): the target gets rows linking the
 * same stored bytes, no copy. Run it inside the conversion's transaction;
 * returns how many were linked. Both records must be of the same company.
 */
export async function copyAttachments(
  from: { model: string; id: string | number },
  to: { model: string; id: string | number },
  client: QueryClientContract
) {
  const rows = await client
    .from('attachments')
    .where('model', from.model)
    .where('record_id', String(from.id))
    .orderBy('id', 'asc')
  if (rows.length === 0) return 0
  const now = dbNow(client)
  await client.table('attachments').multiInsert(
    rows.map((row: any) => ({
      company_id: row.company_id,
      model: to.model,
      record_id: String(to.id),
      disk: row.disk,
      storage_key: row.storage_key,
      original_name: row.original_name,
      mime: row.mime,
      size: row.size,
      sha256: row.sha256,
      encrypted: row.encrypted,
      thumbnail_key: row.thumbnail_key,
      uploaded_by: row.uploaded_by,
      created_at: now,
    }))
  )
  await record(client, {
    event: 'attachment.added',
    model: to.model,
    recordId: String(to.id),
    meta: { copiedFrom: `${from.model}#${from.id}`, count: rows.length },
    actor: { companyId: Number(rows[0].company_id) },
  })
  return rows.length
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string) {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[\\"]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
