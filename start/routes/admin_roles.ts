import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { createRoleValidator, updateRoleValidator, explainValidator } from '#validators/roles'

const RolesController = () => import('#controllers/roles_controller')
const AccessExplainerController = () => import('#controllers/access_explainer_controller')

const MANAGE = 'kernel.roles.manage'

/* Roles × permissions matrix and the access explainer (pages) */
router
  .group(() => {
    const id = router.matchers.number()
    router.get('/settings/roles', [RolesController, 'index']).as('roles.index')
    router.post('/settings/roles', [RolesController, 'store']).as('roles.store')
    router.put('/settings/roles', [RolesController, 'saveMatrix']).as('roles.matrix')
    router
      .put('/settings/roles/:id', [RolesController, 'update'])
      .where('id', id)
      .as('roles.update')
    router
      .delete('/settings/roles/:id', [RolesController, 'destroy'])
      .where('id', id)
      .as('roles.destroy')
    router
      .get('/settings/access-explainer', [AccessExplainerController, 'show'])
      .as('access.explainer')
  })
  .use([...webAuthStack(), can(MANAGE)])

const grantSchema = {
  type: 'object',
  properties: {
    permission: { type: 'string' },
    scope: { type: 'string', enum: ['all', 'team', 'own'] },
  },
}
const roleSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        key: { type: 'string' },
        name: { type: 'string' },
        builtin: { type: 'boolean' },
        editable: { type: 'boolean', description: 'false for admin, which has every permission' },
        mfaRequired: {
          type: 'boolean',
          description:
            'Members must sign in with a second factor (TOTP); true for admin by default',
        },
        members: { type: 'integer', description: 'Memberships holding this role' },
        grants: { type: 'array', items: grantSchema },
      },
    },
  },
}

/* The same through the API */
router
  .group(() => {
    const id = router.matchers.number()
    apiDoc(router.get('/api/v1/admin/roles', [RolesController, 'apiIndex']).as('api.roles.index'), {
      summary: 'Every role with its grants (permission and record scope)',
      responses: { 200: '`{ data: Role[] }`' },
    })
    apiDoc(
      router.post('/api/v1/admin/roles', [RolesController, 'apiStore']).as('api.roles.store'),
      {
        summary: 'Creates a custom role, optionally with its grants',
        description:
          'Unknown permission keys are refused with 422 naming them. A permission without a record scope (kernel settings, `.create`) is stored with `all`.',
        body: createRoleValidator,
        responses: { 201: { description: 'The role', schema: roleSchema } },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/roles/:id', [RolesController, 'apiShow'])
        .where('id', id)
        .as('api.roles.show'),
      {
        summary: 'One role with its grants',
        responses: { 200: { description: 'The role', schema: roleSchema } },
      }
    )
    apiDoc(
      router
        .patch('/api/v1/admin/roles/:id', [RolesController, 'apiUpdate'])
        .where('id', id)
        .as('api.roles.update'),
      {
        summary: 'Renames a custom role and/or replaces its whole set of grants',
        description:
          '`grants`, when given, replaces the role’s grants. `mfaRequired` sets whether its members must sign in with a second factor. The admin role’s grants and name cannot be changed (409), its `mfaRequired` can; built-in roles cannot be renamed (422).',
        body: updateRoleValidator,
        responses: {
          200: { description: 'The role', schema: roleSchema },
          409: 'The admin role’s grants or name cannot be changed',
        },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/admin/roles/:id', [RolesController, 'apiDestroy'])
        .where('id', id)
        .as('api.roles.destroy'),
      {
        summary: 'Deletes a custom role',
        responses: { 204: 'Deleted', 409: 'A built-in role, or a role some members hold' },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/access/explain', [AccessExplainerController, 'api'])
        .as('api.access.explain'),
      {
        summary: 'Explains whether a member may use a permission, on a record when given',
        description:
          '`model` is a record kind a module declares (e.g. `contacts.contact`); without `permission` its read permission is explained. The answer lists the role, whether it grants the permission, with which scope, and for a record whether company, owner and team matched.',
        query: explainValidator,
        responses: { 200: '`{ data: Explanation }`' },
      }
    )
  })
  .use([...apiStack(), can(MANAGE)])
