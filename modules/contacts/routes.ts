import { defineRoutes } from '#kernel/modules/define_module'
import { can } from '#start/stacks'
import { PERMISSIONS } from './constants.js'

const ContactsController = () => import('./controllers/contacts_controller.js')
const ContactsApiController = () => import('./controllers/contacts_api_controller.js')

export default defineRoutes({
  web(router) {
    const id = { id: router.matchers.number() }
    router.get('/', [ContactsController, 'index']).use(can(PERMISSIONS.read)).as('contacts.index')
    router.get('/create', [ContactsController, 'create']).use(can(PERMISSIONS.create)).as('contacts.create')
    router.post('/', [ContactsController, 'store']).use(can(PERMISSIONS.create)).as('contacts.store')
    router.get('/export.csv', [ContactsController, 'export']).use(can(PERMISSIONS.export)).as('contacts.export')
    router.get('/:id', [ContactsController, 'show']).where('id', id.id).use(can(PERMISSIONS.read)).as('contacts.show')
    router.get('/:id/edit', [ContactsController, 'edit']).where('id', id.id).use(can(PERMISSIONS.update)).as('contacts.edit')
    router.put('/:id', [ContactsController, 'update']).where('id', id.id).use(can(PERMISSIONS.update)).as('contacts.update')
    router.post('/:id/restore', [ContactsController, 'restore']).where('id', id.id).use(can(PERMISSIONS.update)).as('contacts.restore')
    router.delete('/:id', [ContactsController, 'destroy']).where('id', id.id).use(can(PERMISSIONS.delete)).as('contacts.destroy')
  },
  api(router) {
    const number = router.matchers.number()
    router.get('/', [ContactsApiController, 'index']).use(can(PERMISSIONS.read)).as('api.contacts.index')
    router.post('/', [ContactsApiController, 'store']).use(can(PERMISSIONS.create)).as('api.contacts.store')
    router.get('/export.csv', [ContactsApiController, 'export']).use(can(PERMISSIONS.export)).as('api.contacts.export')
    router.get('/:id', [ContactsApiController, 'show']).where('id', number).use(can(PERMISSIONS.read)).as('api.contacts.show')
    router.patch('/:id', [ContactsApiController, 'update']).where('id', number).use(can(PERMISSIONS.update)).as('api.contacts.update')
    router.delete('/:id', [ContactsApiController, 'destroy']).where('id', number).use(can(PERMISSIONS.delete)).as('api.contacts.destroy')
  },
})
