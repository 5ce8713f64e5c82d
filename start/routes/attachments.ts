import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'

const AttachmentsController = () => import('#controllers/attachments_controller')

/*
 * Files attached to module records. The permission depends on the record's
 * model (its manifest's `attachments` rules), so these routes are open to any
 * member and the attachments service checks the record's permission and
 * scope on every call: 403 without the permission, 404 outside the scope.
 */
const id = { match: /^\d+$/, cast: (value: string) => Number(value) }

router
  .group(() => {
    // Before `/:model/:recordId`, which would otherwise take `<id>/thumbnail` for a record.
    router
      .get('/attachments/:id/thumbnail', [AttachmentsController, 'thumbnail'])
      .where('id', id)
      .as('thumbnail')
    router.get('/attachments/:model/:recordId', [AttachmentsController, 'index']).as('index')
    router.post('/attachments/:model/:recordId', [AttachmentsController, 'store']).as('store')
    router
      .get('/attachments/:id', [AttachmentsController, 'download'])
      .where('id', id)
      .as('download')
    router
      .delete('/attachments/:id', [AttachmentsController, 'destroy'])
      .where('id', id)
      .as('destroy')
  })
  .as('attachments')
  .use([...webAuthStack(), can('authenticated')])

const ATTACHMENT_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    model: { type: 'string', description: '`<module>.<model>`' },
    recordId: { type: 'string' },
    name: { type: 'string', description: 'The file name the uploader gave, sanitised' },
    mime: { type: 'string', description: 'The type detected from the content' },
    size: { type: 'integer', description: 'Bytes' },
    sha256: { type: 'string' },
    encrypted: { type: 'boolean' },
    thumbnail: { type: 'boolean', description: 'Whether /attachments/{id}/thumbnail has one' },
    uploadedBy: { type: ['integer', 'null'] },
    createdAt: { type: 'string' },
  },
}

const RECORD_PARAMS = {
  model: '`<module>.<model>` of a record whose module accepts attachments, e.g. `contacts.contact`',
  recordId: 'The record id',
}

router
  .group(() => {
    apiDoc(
      router
        .get('/api/v1/attachments/:id/thumbnail', [AttachmentsController, 'thumbnail'])
        .where('id', id)
        .as('api.attachments.thumbnail'),
      {
        summary: "An image attachment's thumbnail (WebP, at most 320 px a side)",
        description: 'Answers 404 when the attachment is not an image.',
        params: { id: 'The attachment id' },
        responses: {
          200: {
            description: 'The thumbnail',
            contentType: 'image/webp',
            schema: { type: 'string', format: 'binary' },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/attachments/:model/:recordId', [AttachmentsController, 'index'])

        .as('api.attachments.index'),
      {
        summary: "A record's attachments",
        description:
          "Needs the record's read permission (403) and a scope reaching the record (404).",
        params: RECORD_PARAMS,
        responses: {
          200: {
            description: 'The attachments',
            schema: {
              type: 'object',
              properties: { data: { type: 'array', items: ATTACHMENT_SCHEMA } },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/attachments/:model/:recordId', [AttachmentsController, 'apiStore'])

        .as('api.attachments.store'),
      {
        summary: 'Attaches a file to a record (multipart/form-data: `file`, optional `encrypt`)',
        description:
          'The type is read from the content: a refused type, a content that does not match the name’s extension or a file over the model’s size limit is a 422 on `file`. `encrypt=true` stores it encrypted at rest.',
        params: RECORD_PARAMS,
        responses: {
          201: {
            description: 'The attachment',
            schema: { type: 'object', properties: { data: ATTACHMENT_SCHEMA } },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/attachments/:id', [AttachmentsController, 'download'])
        .where('id', id)
        .as('api.attachments.download'),
      {
        summary: 'Downloads an attachment (decrypted when stored encrypted)',
        params: { id: 'The attachment id' },
        responses: {
          200: {
            description: 'The file',
            contentType: 'application/octet-stream',
            schema: { type: 'string', format: 'binary' },
          },
        },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/attachments/:id', [AttachmentsController, 'apiDestroy'])
        .where('id', id)
        .as('api.attachments.destroy'),
      {
        summary: 'Removes an attachment',
        description: "Needs the permission that changes the record's attachments.",
        params: { id: 'The attachment id' },
        responses: {
          200: {
            description: 'The removed attachment',
            schema: { type: 'object', properties: { data: ATTACHMENT_SCHEMA } },
          },
        },
      }
    )
  })
  .use([...apiStack(), can('authenticated')])
