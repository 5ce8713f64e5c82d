import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import {
  createCustomFieldValidator,
  listCustomFieldsValidator,
  updateCustomFieldValidator,
} from '#validators/custom_fields'
import { CUSTOM_FIELD_TYPES } from '#kernel/custom_fields/types'
import '#kernel/custom_fields/audited'

const CustomFieldsController = () => import('#controllers/custom_fields_controller')

const MANAGE = 'kernel.custom_fields.manage'

/* Custom fields of the current company (pages) */
router
  .group(() => {
    const id = router.matchers.number()
    router
      .get('/settings/custom-fields', [CustomFieldsController, 'index'])
      .as('custom_fields.index')
    router
      .get('/settings/custom-fields/create', [CustomFieldsController, 'create'])
      .as('custom_fields.create')
    router
      .post('/settings/custom-fields', [CustomFieldsController, 'store'])
      .as('custom_fields.store')
    router
      .get('/settings/custom-fields/:id/edit', [CustomFieldsController, 'edit'])
      .where('id', id)
      .as('custom_fields.edit')
    router
      .put('/settings/custom-fields/:id', [CustomFieldsController, 'update'])
      .where('id', id)
      .as('custom_fields.update')
    router
      .post('/settings/custom-fields/:id/archive', [CustomFieldsController, 'archive'])
      .where('id', id)
      .as('custom_fields.archive')
    router
      .post('/settings/custom-fields/:id/restore', [CustomFieldsController, 'restore'])
      .where('id', id)
      .as('custom_fields.restore')
    router
      .delete('/settings/custom-fields/:id', [CustomFieldsController, 'purge'])
      .where('id', id)
      .as('custom_fields.purge')
  })
  .use([...webAuthStack(), can(MANAGE)])

const fieldSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    model: { type: 'string', description: 'e.g. `contacts.contact`' },
    key: { type: 'string', description: 'The property name under `customFields`' },
    type: { type: 'string', enum: [...CUSTOM_FIELD_TYPES] },
    label: {
      type: 'object',
      properties: { fr: { type: 'string' }, en: { type: ['string', 'null'] } },
    },
    help: {
      type: 'object',
      properties: { fr: { type: ['string', 'null'] }, en: { type: ['string', 'null'] } },
    },
    required: { type: 'boolean' },
    inList: { type: 'boolean', description: 'Shown as a column of the list page' },
    options: { type: 'array', items: { type: 'string' } },
    config: {
      type: 'object',
      description: '`min`/`max` (number, decimal), `scale` (decimal), `target` (reference)',
    },
    default: { description: 'The value a new record gets when none is given' },
    position: { type: 'integer' },
    archivedAt: {
      type: ['string', 'null'],
      description: 'Set while archived: out of forms and the API, values kept',
    },
  },
}
const one = { type: 'object', properties: { data: fieldSchema } }

/* The same through the API */
router
  .group(() => {
    const id = router.matchers.number()
    apiDoc(
      router
        .get('/api/v1/admin/custom-fields', [CustomFieldsController, 'apiIndex'])
        .as('api.custom_fields.index'),
      {
        summary:
          "The current company's custom fields, archived ones included unless `archived=false`",
        query: listCustomFieldsValidator,
        responses: {
          200: {
            description: 'The fields',
            schema: { type: 'object', properties: { data: { type: 'array', items: fieldSchema } } },
          },
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/custom-fields', [CustomFieldsController, 'apiStore'])
        .as('api.custom_fields.store'),
      {
        summary: 'Adds a custom field to a customizable model',
        description:
          'Types: `text`, `long_text`, `number`, `decimal` (`scale` digits after the point, 2 by default; values are exact text such as `"12.50"`), `date` (`YYYY-MM-DD`), `select` and `multi_select` (with `options`), `boolean`, `reference` (with `target`, a kind of record such as `contacts.contact`; the value is the record id). Records carry the values under `customFields.<key>`.',
        body: createCustomFieldValidator,
        responses: { 201: { description: 'The field', schema: one } },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/custom-fields/:id', [CustomFieldsController, 'apiShow'])
        .where('id', id)
        .as('api.custom_fields.show'),
      { summary: 'One custom field', responses: { 200: { description: 'The field', schema: one } } }
    )
    apiDoc(
      router
        .patch('/api/v1/admin/custom-fields/:id', [CustomFieldsController, 'apiUpdate'])
        .where('id', id)
        .as('api.custom_fields.update'),
      {
        summary:
          'Changes a field’s label, help, required flag, default, options, bounds or position',
        description: 'The model, key and type of a field are fixed once created.',
        body: updateCustomFieldValidator,
        responses: { 200: { description: 'The field', schema: one } },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/custom-fields/:id/archive', [CustomFieldsController, 'apiArchive'])
        .where('id', id)
        .as('api.custom_fields.archive'),
      {
        summary: 'Removes a field from forms, lists, exports and the API; its values are kept',
        responses: { 200: { description: 'The field', schema: one } },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/custom-fields/:id/restore', [CustomFieldsController, 'apiRestore'])
        .where('id', id)
        .as('api.custom_fields.restore'),
      {
        summary: 'Brings an archived field back, with its values',
        responses: { 200: { description: 'The field', schema: one } },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/admin/custom-fields/:id', [CustomFieldsController, 'apiPurge'])
        .where('id', id)
        .as('api.custom_fields.purge'),
      {
        summary: 'Purges an archived field: deletes its values, then the field',
        responses: {
          200: '`{ data: { values } }`: how many records had a value',
          409: 'The field is not archived',
        },
      }
    )
  })
  .use([...apiStack(), can(MANAGE)])
