import type { HttpContext } from '@adonisjs/core/http'
import {
  discardFailedJob,
  findFailedJob,
  JobRefusal,
  listFailedJobs,
  presentFailedJob,
  retryFailedJob,
} from '#kernel/jobs/failed_jobs'
import { listScheduleRuns, listSchedules } from '#kernel/jobs/scheduler'
import { jobsPageValidator, scheduleRunsValidator } from '#validators/jobs'

/** Failed jobs and scheduled runs: the admin page and /api/v1/admin/jobs. */
export default class JobsController {
  async index({ inertia, request }: HttpContext) {
    const paging = await jobsPageValidator.validate(request.qs()).catch(() => ({}) as any)
    const [failed, runs, schedules] = await Promise.all([
      listFailedJobs({ cursor: paging.cursor }).catch(() => listFailedJobs()),
      listScheduleRuns({ cursor: paging.runsCursor, schedule: paging.schedule }).catch(() =>
        listScheduleRuns({ schedule: paging.schedule })
      ),
      listSchedules(),
    ])
    return inertia.render('settings/jobs', {
      failed: failed.data,
      nextCursor: failed.nextCursor,
      cursor: paging.cursor ?? null,
      runs: runs.data,
      runsNextCursor: runs.nextCursor,
      runsCursor: paging.runsCursor ?? null,
      runsSchedule: paging.schedule ?? null,
      schedules,
    })
  }

  async retry(ctx: HttpContext) {
    return this.#page(ctx, async (job) => {
      await retryFailedJob(Number(ctx.params.id))
      return ctx.i18n.t('jobs.retried', { job })
    })
  }

  async discard(ctx: HttpContext) {
    return this.#page(ctx, async (job) => {
      await discardFailedJob(Number(ctx.params.id))
      return ctx.i18n.t('jobs.discarded', { job })
    })
  }

  /** Runs a page action: a refusal is the page's error message, never an error page. */
  async #page(ctx: HttpContext, action: (job: string) => Promise<string>) {
    let job = `#${ctx.params.id}`
    try {
      job = (await findFailedJob(Number(ctx.params.id))).job
      ctx.session.flash('success', await action(job))
    } catch (error) {
      if (!(error instanceof JobRefusal)) throw error
      ctx.session.flash('error', ctx.i18n.t(`jobs.errors.${error.code}`, { job }))
    }
    return ctx.response.redirect('/settings/jobs')
  }

  async apiFailed({ request }: HttpContext) {
    const { cursor, limit } = await request.validateUsing(jobsPageValidator)
    const page = await listFailedJobs({ cursor, limit })
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async apiShowFailed(ctx: HttpContext) {
    return this.#api(ctx, async () => ({
      data: presentFailedJob(await findFailedJob(Number(ctx.params.id))),
    }))
  }

  async apiRetry(ctx: HttpContext) {
    return this.#api(ctx, async () => ({
      data: await retryFailedJob(Number(ctx.params.id)),
    }))
  }

  async apiDiscard(ctx: HttpContext) {
    return this.#api(ctx, async () => {
      await discardFailedJob(Number(ctx.params.id))
      return ctx.response.noContent()
    })
  }

  async apiSchedules() {
    return { data: await listSchedules() }
  }

  async apiRuns({ request }: HttpContext) {
    const { cursor, limit, schedule } = await request.validateUsing(scheduleRunsValidator)
    const page = await listScheduleRuns({ cursor, limit, schedule })
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  /** Runs an API action: a refusal is its status (404, 409) with a code and message. */
  async #api({ response, i18n, params }: HttpContext, action: () => Promise<unknown>) {
    try {
      return await action()
    } catch (error) {
      if (!(error instanceof JobRefusal)) throw error
      return response.status(error.status).send({
        errors: [
          {
            code: error.code,
            message: i18n.t(`jobs.errors.${error.code}`, { job: `#${params.id}` }),
          },
        ],
      })
    }
  }
}
