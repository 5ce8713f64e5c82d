import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { jobsPageValidator, scheduleRunsValidator } from '#validators/jobs'

const JobsController = () => import('#controllers/jobs_controller')

const MANAGE = 'kernel.jobs.manage'

/* Failed jobs and scheduled runs (pages) */
router
  .group(() => {
    router.get('/settings/jobs', [JobsController, 'index']).as('jobs.index')
    router
      .post('/settings/jobs/failed/:id/retry', [JobsController, 'retry'])
      .where('id', /^\d+$/)
      .as('jobs.failed.retry')
    router
      .post('/settings/jobs/failed/:id/discard', [JobsController, 'discard'])
      .where('id', /^\d+$/)
      .as('jobs.failed.discard')
  })
  .use([...webAuthStack(), can(MANAGE)])

const failedJobSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    jobId: { type: 'string', description: 'The queue’s id of the failed dispatch' },
    job: { type: 'string', description: '`<module>.<key>`' },
    module: { type: 'string' },
    queue: { type: 'string' },
    attempts: { type: 'integer' },
    failedAt: { type: 'string', format: 'date-time' },
    error: { type: 'string', description: 'The last error’s message' },
    errorDetail: { type: 'string', description: 'The last error with its stack' },
    payload: {
      type: 'string',
      description: 'The job’s data as indented JSON, secrets masked and long values cut',
    },
  },
}
const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    schedule: { type: 'string', description: '`<module>.<key>`' },
    tickAt: { type: 'string', format: 'date-time' },
    instance: { type: 'string', description: 'host:pid of the process that ran it' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    outcome: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    error: { type: ['string', 'null'] },
  },
}
const page = (items: object) => ({
  type: 'object',
  properties: {
    data: { type: 'array', items },
    meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] } } },
  },
})
const refusal = '`{ errors: [{ code, message }] }`'

/* The same through the API */
router
  .group(() => {
    apiDoc(
      router.get('/api/v1/admin/jobs/failed', [JobsController, 'apiFailed']).as('api.jobs.failed'),
      {
        summary: 'Jobs that failed on every attempt, newest first, keyset-paginated',
        query: jobsPageValidator,
        responses: { 200: { description: 'The failed jobs', schema: page(failedJobSchema) } },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/jobs/failed/:id', [JobsController, 'apiShowFailed'])
        .where('id', /^\d+$/)
        .as('api.jobs.failed.show'),
      {
        summary: 'One failed job',
        responses: {
          200: {
            description: 'The failed job',
            schema: { type: 'object', properties: { data: failedJobSchema } },
          },
          404: refusal,
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/jobs/failed/:id/retry', [JobsController, 'apiRetry'])
        .where('id', /^\d+$/)
        .as('api.jobs.failed.retry'),
      {
        summary: 'Dispatches a failed job again with its data, and forgets the failure',
        description:
          'Refused (409) when no module declares the job any more (`E_JOB_UNKNOWN`) or its module is disabled (`E_MODULE_DISABLED`). Audited (`job.retried`).',
        responses: { 200: '`{ data: { jobId } }`: the new dispatch', 404: refusal, 409: refusal },
      }
    )
    apiDoc(
      router
        .delete('/api/v1/admin/jobs/failed/:id', [JobsController, 'apiDiscard'])
        .where('id', /^\d+$/)
        .as('api.jobs.failed.destroy'),
      {
        summary: 'Discards a failed job for good',
        description: 'Audited (`job.discarded`).',
        responses: { 204: 'Discarded', 404: refusal },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/jobs/schedules', [JobsController, 'apiSchedules'])
        .as('api.jobs.schedules'),
      {
        summary: 'Every schedule modules declare, with its module’s state and next tick',
        responses: {
          200: '`{ data: [{ name, module, job, cron, timezone, enabled, nextTickAt }] }`',
        },
      }
    )
    apiDoc(router.get('/api/v1/admin/jobs/runs', [JobsController, 'apiRuns']).as('api.jobs.runs'), {
      summary: 'Scheduled runs, newest first, keyset-paginated',
      description:
        'One row per schedule and tick: each tick runs once, whatever the number of app instances.',
      query: scheduleRunsValidator,
      responses: { 200: { description: 'The runs', schema: page(runSchema) } },
    })
  })
  .use([...apiStack(), can(MANAGE)])
