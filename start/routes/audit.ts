import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { auditFiltersValidator, historyValidator } from '#validators/audit'

const AuditController = () => import('#controllers/audit_controller')

const ENTRY_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    occurredAt: { type: 'string', format: 'date-time' },
    event: { type: 'string', description: 'created, updated, deleted, login.failure…' },
    model: { type: ['string', 'null'], description: '`<module>.<model>`' },
    recordId: { type: ['string', 'null'] },
    actor: {
      type: ['object', 'null'],
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    },
    companyId: { type: ['integer', 'null'] },
    ip: { type: ['string', 'null'] },
    requestId: { type: ['string', 'null'] },
    changes: {
      type: 'object',
      description: '`{ field: [before, after] }`, changed fields only',
      additionalProperties: { type: 'array', minItems: 2, maxItems: 2 },
    },
    masked: {
      type: 'array',
      items: { type: 'string' },
      description: 'Sensitive fields whose values the reader may not see (given as null)',
    },
    meta: { type: ['object', 'null'] },
  },
}

const PAGE_SCHEMA = {
  type: 'object',
  properties: {
    data: { type: 'array', items: ENTRY_SCHEMA },
    meta: {
      type: 'object',
      properties: { nextCursor: { type: ['string', 'null'] } },
    },
  },
}

/* A record's history: anyone who may read the record (the module checks). */
router
  .get('/history/:model/:id', [AuditController, 'history'])
  .use([...webAuthStack(), can('authenticated')])
  .as('audit.history')

apiDoc(
  router
    .get('/api/v1/history/:model/:id', [AuditController, 'history'])
    .use([...apiStack(), can('authenticated')])
    .as('api.audit.history'),
  {
    summary: "A record's history, newest first, keyset-paginated",
    description:
      'Answers 404 when the record is outside what the caller may read. Pass `meta.nextCursor` back as `cursor` for the next page.',
    params: { model: '`<module>.<model>`, e.g. `contacts.contact`', id: 'The record id' },
    query: historyValidator,
    responses: { 200: { description: 'The entries', schema: PAGE_SCHEMA } },
  }
)

/* The admin audit page and its API twin. */
router
  .get('/settings/audit', [AuditController, 'index'])
  .use([...webAuthStack(), can('kernel.audit.read')])
  .as('audit.index')

apiDoc(
  router
    .get('/api/v1/audit', [AuditController, 'apiIndex'])
    .use([...apiStack(), can('kernel.audit.read')])
    .as('api.audit.index'),
  {
    summary: "The current company's audit trail, newest first, keyset-paginated",
    description:
      'Filters combine. `from` and `to` take a day (`YYYY-MM-DD`, Europe/Paris) or an ISO date-time. Entries tied to no company (sign-in attempts on unknown accounts) are included. Pass `meta.nextCursor` back as `cursor` for the next page.',
    query: auditFiltersValidator,
    responses: { 200: { description: 'The entries', schema: PAGE_SCHEMA } },
  }
)
