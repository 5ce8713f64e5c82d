import router from '@adonisjs/core/services/router'
import { apiStack, webAuthStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { draftValidator, tryValidator } from '#validators/workflows'

const WorkflowsController = () => import('#controllers/workflows_controller')

const MANAGE = 'kernel.workflows.manage'

/* The workflow designer (pages) */
router
  .group(() => {
    router.get('/settings/workflows', [WorkflowsController, 'index']).as('workflows.index')
    router.get('/settings/workflows/:model', [WorkflowsController, 'show']).as('workflows.show')
    router
      .put('/settings/workflows/:model/draft', [WorkflowsController, 'saveDraft'])
      .as('workflows.draft')
    router
      .delete('/settings/workflows/:model/draft', [WorkflowsController, 'discardDraft'])
      .as('workflows.discard')
    router
      .post('/settings/workflows/:model/publish', [WorkflowsController, 'publish'])
      .as('workflows.publish')
    router.post('/settings/workflows/:model/try', [WorkflowsController, 'try']).as('workflows.try')
  })
  .use([...webAuthStack(), can(MANAGE)])

/* Workflow definitions: read, draft, try, publish (API) */
router
  .group(() => {
    apiDoc(
      router
        .get('/api/v1/admin/workflows', [WorkflowsController, 'apiIndex'])
        .as('api.workflows.index'),
      {
        summary: 'Every workflow-enabled model, its current version and whether a draft is pending',
        responses: { 200: '`{ data: [{ model, module, label, currentVersion, hasDraft }] }`' },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/workflows/:model', [WorkflowsController, 'apiShow'])
        .as('api.workflows.show'),
      {
        summary:
          "A model's workflow: declared fields, current definition, published versions, draft",
        responses: {
          200: '`{ data: { model, fields, current: { version, definition }, versions, draft } }`',
        },
      }
    )
    apiDoc(
      router
        .put('/api/v1/admin/workflows/:model/draft', [WorkflowsController, 'apiSaveDraft'])
        .as('api.workflows.draft'),
      {
        summary: 'Saves the draft definition (states and transitions) after validating it',
        description:
          'A broken definition (no initial state, unknown or unreachable states, transitions out of a final state, guards on undeclared fields, unknown roles or permissions) is refused with 422, one error per problem, `field` being its path in the definition.',
        body: draftValidator,
        responses: { 200: 'The saved draft' },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/admin/workflows/:model/draft', [WorkflowsController, 'apiDiscardDraft'])
        .as('api.workflows.discard'),
      { summary: 'Throws the draft away', responses: { 204: 'Done' } }
    )
    apiDoc(
      router
        .post('/api/v1/admin/workflows/:model/publish', [WorkflowsController, 'apiPublish'])
        .as('api.workflows.publish'),
      {
        summary: 'Publishes the draft as the next version',
        description:
          'Records created from now on run under the new version; records already under way keep the version they started with.',
        responses: { 201: '`{ data: { model, version } }`' },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/workflows/:model/try', [WorkflowsController, 'apiTry'])
        .as('api.workflows.try'),
      {
        summary: 'Tries a transition on a sample record, as a member of a role would fire it',
        description:
          'Uses the draft by default when there is one (`of`: `draft` or `current`). `owner` makes the sample user the record owner; `values` are the declared fields the guards test. Nothing is written.',
        body: tryValidator,
        responses: { 200: '`{ data: { of, allowed, to? , code?, reason? } }`' },
      }
    )
  })
  .use([...apiStack(), can(MANAGE)])
