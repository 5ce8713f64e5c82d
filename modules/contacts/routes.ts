import { defineRoutes } from '#kernel/modules/define_module'
import { apiDoc } from '#kernel/api/docs'
import { can } from '#start/stacks'
import { CONTACT_MODEL, PERMISSIONS } from './constants.js'
import { transitionHandlers } from '#kernel/workflow/http'
import { fireValidator } from '#validators/workflows'
import {
  createContactValidator,
  updateContactValidator,
  listContactsValidator,
} from './validators/contact.js'

const ContactsController = () => import('./controllers/contacts_controller.js')
const lifecycle = transitionHandlers(CONTACT_MODEL)
const ContactsApiController = () => import('./controllers/contacts_api_controller.js')

export default defineRoutes({
  web(router) {
    const id = router.matchers.number()
    router.get('/', [ContactsController, 'index']).use(can(PERMISSIONS.read)).as('contacts.index')
    router
      .get('/create', [ContactsController, 'create'])
      .use(can(PERMISSIONS.create))
      .as('contacts.create')
    router
      .post('/', [ContactsController, 'store'])
      .use(can(PERMISSIONS.create))
      .as('contacts.store')
    router
      .get('/export.csv', [ContactsController, 'export'])
      .use(can(PERMISSIONS.export))
      .as('contacts.export')
    router
      .get('/export.xlsx', [ContactsController, 'exportXlsx'])
      .use(can(PERMISSIONS.export))
      .as('contacts.export_xlsx')
    router
      .get('/:id', [ContactsController, 'show'])
      .where('id', id)
      .use(can(PERMISSIONS.read))
      .as('contacts.show')
    router
      .get('/:id/edit', [ContactsController, 'edit'])
      .where('id', id)
      .use(can(PERMISSIONS.update))
      .as('contacts.edit')
    router
      .put('/:id', [ContactsController, 'update'])
      .where('id', id)
      .use(can(PERMISSIONS.update))
      .as('contacts.update')
    router
      .post('/:id/transitions', (ctx) => lifecycle.web(ctx))
      .where('id', id)
      .use(can(PERMISSIONS.update))
      .as('contacts.transitions')
    router
      .post('/:id/restore', [ContactsController, 'restore'])
      .where('id', id)
      .use(can(PERMISSIONS.update))
      .as('contacts.restore')
    router
      .delete('/:id', [ContactsController, 'destroy'])
      .where('id', id)
      .use(can(PERMISSIONS.delete))
      .as('contacts.destroy')
  },

  api(router) {
    const id = router.matchers.number()
    apiDoc(
      router
        .get('/', [ContactsApiController, 'index'])
        .use(can(PERMISSIONS.read))
        .as('api.contacts.index'),
      {
        summary: 'Lists contacts, keyset-paginated (limit 25 by default, 100 at most)',
        description:
          'Pass `meta.nextCursor` back as `cursor` for the next page; it is null on the last page. `search` is accent- and case-insensitive.',
        query: listContactsValidator,
        responses: { 200: '`{ data: Contact[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .post('/', [ContactsApiController, 'store'])
        .use(can(PERMISSIONS.create))
        .as('api.contacts.store'),
      {
        summary: 'Creates a contact; its code comes from the company’s numbering series',
        body: createContactValidator,
        responses: { 201: '`{ data: Contact }`' },
      }
    )
    apiDoc(
      router
        .get('/export.csv', [ContactsApiController, 'export'])
        .use(can(PERMISSIONS.export))
        .as('api.contacts.export'),
      {
        summary: 'Exports the filtered contacts as CSV (UTF-8 with BOM, `;` separated)',
        query: listContactsValidator,
        responses: { 200: 'text/csv' },
      }
    )
    apiDoc(
      router
        .get('/export.xlsx', [ContactsApiController, 'exportXlsx'])
        .use(can(PERMISSIONS.export))
        .as('api.contacts.export_xlsx'),
      {
        summary: 'Exports the filtered contacts as an XLSX workbook (100 000 rows at most)',
        query: listContactsValidator,
        responses: {
          200: {
            description: 'The workbook',
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            schema: { type: 'string', format: 'binary' },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/:id', [ContactsApiController, 'show'])
        .where('id', id)
        .use(can(PERMISSIONS.read))
        .as('api.contacts.show'),
      {
        summary: 'One contact with its people and addresses',
        responses: { 200: '`{ data: Contact }`' },
      }
    )
    apiDoc(
      router
        .patch('/:id', [ContactsApiController, 'update'])
        .where('id', id)
        .use(can(PERMISSIONS.update))
        .as('api.contacts.update'),
      {
        summary: 'Updates the given fields; `people`, when given, replaces the list',
        body: updateContactValidator,
        responses: { 200: '`{ data: Contact }`' },
      }
    )
    apiDoc(
      router
        .post('/:id/transitions', (ctx) => lifecycle.api(ctx))
        .where('id', id)
        .use(can(PERMISSIONS.update))
        .as('api.contacts.transitions'),
      {
        summary: 'Fires a transition of the customer lifecycle workflow',
        description:
          '`{ "transition": "win" }`. 403: not allowed to fire it; 404: not in your scope; 409: the contact is not (or no longer) in a state the transition leaves from; 422: unknown transition or a guard failed, with the reason.',
        body: fireValidator,
        responses: {
          200: '`{ data: { id, from, to, transition, label, version } }`',
          403: 'Not allowed',
          409: 'Wrong or changed state',
          422: 'Unknown transition or guard failed',
        },
      }
    )
    apiDoc(
      router
        .delete('/:id', [ContactsApiController, 'destroy'])
        .where('id', id)
        .use(can(PERMISSIONS.delete))
        .as('api.contacts.destroy'),
      {
        summary: 'Deletes a contact, or archives it when other modules reference it',
        responses: {
          204: 'Deleted',
          200: '`{ data: { archived: true, references } }`: archived instead',
        },
      }
    )
  },
})
