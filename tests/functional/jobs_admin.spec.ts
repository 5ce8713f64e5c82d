import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import catalog from '#kernel/jobs/catalog'
import { startWorker, stopWorker } from '#kernel/jobs/worker'
import { dbNow } from '#kernel/db/timestamp'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { createFixtureModules, PROBE_JOB, probeAttempts } from '#tests/helpers/fixture_modules'

const MODULE = 'jobadmin'
const JOB = `${MODULE}.probe`

async function waitFor(check: () => boolean | Promise<boolean>, ms = 15000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not reached within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A failed job as the kernel keeps it, without waiting for real attempts. */
async function failedRow(payload: Record<string, unknown>, job = JOB) {
  const [row] = await db
    .table('failed_jobs')
    .insert({
      job_id: crypto.randomUUID(),
      job,
      module: job.split('.')[0],
      queue: 'default',
      payload: JSON.stringify(payload),
      error: 'Error: probe failure on attempt 3\n    at ProbeJob.handle (probe.ts:9:13)',
      attempts: 3,
      failed_at: dbNow(),
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

test.group('Failed jobs: admin page and API', (group) => {
  let fixtures: Awaited<ReturnType<typeof createFixtureModules>>
  group.setup(async () => {
    fixtures = await createFixtureModules('jobs-admin', [
      { name: MODULE, jobs: { probe: PROBE_JOB } },
    ])
    await fixtures.manager.enable(MODULE)
    await catalog.add(fixtures.registry, fixtures.manager)
    await startWorker()
    return async () => {
      await stopWorker()
      catalog.remove(fixtures.registry)
      await fixtures.cleanup()
    }
  })

  test('a job that really failed is listed with its error, attempts and payload; secrets masked', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const label = `listed-${Date.now()}`
    const { jobId } = await catalog
      .job(JOB)!
      .jobClass.dispatch({ label, failTimes: 99, password: 'hunter2-secret' })
      .run()
    await waitFor(async () => Boolean(await db.from('failed_jobs').where('job_id', jobId).first()))

    const page = await client.get('/settings/jobs').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('settings/jobs')
    const listed = page.inertiaProps.failed.find((j: any) => j.jobId === jobId)
    assert.exists(listed)
    assert.equal(listed.job, JOB)
    assert.equal(listed.attempts, 3)
    assert.equal(listed.error, 'Error: probe failure on attempt 3')
    assert.include(listed.errorDetail, 'at ')
    assert.include(listed.payload, label)
    assert.include(listed.payload, '"password": "••••"')
    assert.notInclude(JSON.stringify(page.inertiaProps), 'hunter2-secret')

    const token = await tokenFor(user)
    const api = await client.get('/api/v1/admin/jobs/failed').bearerToken(token)
    api.assertStatus(200)
    assert.exists(api.body().data.find((j: any) => j.jobId === jobId))
    const one = await client.get(`/api/v1/admin/jobs/failed/${listed.id}`).bearerToken(token)
    one.assertStatus(200)
    assert.equal(one.body().data.jobId, jobId)
  })

  test('the list pages with a keyset cursor, newest first, each row once', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const mine = [] as number[]
    for (let i = 0; i < 5; i++) mine.push(await failedRow({ label: `page-${i}` }))

    const seen: number[] = []
    let cursor: string | null = null
    do {
      const qs: Record<string, string | number> = cursor ? { limit: 2, cursor } : { limit: 2 }
      const response = await client.get('/api/v1/admin/jobs/failed').qs(qs).bearerToken(token)
      response.assertStatus(200)
      assert.isAtMost(response.body().data.length, 2)
      seen.push(...response.body().data.map((j: any) => j.id))
      cursor = response.body().meta.nextCursor
    } while (cursor)
    assert.equal(new Set(seen).size, seen.length, 'no row twice')
    assert.deepEqual(
      seen.filter((id) => mine.includes(id)),
      [...mine].reverse()
    )
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a)
    )

    const bad = await client
      .get('/api/v1/admin/jobs/failed')
      .qs({ cursor: 'nope' })
      .bearerToken(token)
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'cursor')
  })

  test('retry from the API dispatches the job again, forgets the failure and is audited', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const label = `retried-${Date.now()}`
    const id = await failedRow({ label })

    const response = await client.post(`/api/v1/admin/jobs/failed/${id}/retry`).bearerToken(token)
    response.assertStatus(200)
    assert.isString(response.body().data.jobId)
    await waitFor(() => probeAttempts(label).length === 1)
    assert.isNull(await db.from('failed_jobs').where('id', id).first())
    const audit = await db
      .from('audit_logs')
      .where({ event: 'job.retried', model: 'kernel.failed_job', record_id: String(id) })
      .first()
    assert.exists(audit)
    assert.equal(Number(audit.actor_id), user.id)

    // Gone: a second retry is a 404, not a second dispatch.
    ;(await client.post(`/api/v1/admin/jobs/failed/${id}/retry`).bearerToken(token)).assertStatus(
      404
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(probeAttempts(label), 1)
  })

  test('retry from the page: a flash message, the job runs; refusals are messages too', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const label = `page-retry-${Date.now()}`
    const id = await failedRow({ label })
    const done = await client
      .post(`/settings/jobs/failed/${id}/retry`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    done.assertStatus(302)
    done.assertHeader('location', '/settings/jobs')
    done.assertFlashMessage('success', `Tâche « ${JOB} » remise en file`)
    await waitFor(() => probeAttempts(label).length === 1)

    const missing = await client
      .post(`/settings/jobs/failed/${id}/retry`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    missing.assertStatus(302)
    assert.match(String(missing.flashMessages().error), /n'existe plus/)

    const orphan = await failedRow({ label: 'orphan' }, 'gone.job')
    const unknown = await client
      .post(`/settings/jobs/failed/${orphan}/retry`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.match(
      String(unknown.flashMessages().error),
      /Plus aucun module ne déclare la tâche « gone\.job »/
    )
    assert.exists(await db.from('failed_jobs').where('id', orphan).first())
  })

  test('a failed job of a disabled module cannot be retried (409); discard works', async ({
    client,
    assert,
  }) => {
    const { user } = await companyWithUser('admin')
    const token = await tokenFor(user)
    const id = await failedRow({ label: `disabled-${Date.now()}` })
    await fixtures.manager.disable(MODULE)
    try {
      const refused = await client.post(`/api/v1/admin/jobs/failed/${id}/retry`).bearerToken(token)
      refused.assertStatus(409)
      assert.equal(refused.body().errors[0].code, 'E_MODULE_DISABLED')
      assert.exists(await db.from('failed_jobs').where('id', id).first())
    } finally {
      await fixtures.manager.enable(MODULE)
    }

    const discarded = await client.delete(`/api/v1/admin/jobs/failed/${id}`).bearerToken(token)
    discarded.assertStatus(204)
    assert.isNull(await db.from('failed_jobs').where('id', id).first())
    assert.exists(
      await db
        .from('audit_logs')
        .where({ event: 'job.discarded', model: 'kernel.failed_job', record_id: String(id) })
        .first()
    )
    ;(await client.delete(`/api/v1/admin/jobs/failed/${id}`).bearerToken(token)).assertStatus(404)

    const pageDiscard = await failedRow({ label: 'page-discard' })
    const flash = await client
      .post(`/settings/jobs/failed/${pageDiscard}/discard`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    flash.assertFlashMessage('success', `Tâche en échec « ${JOB} » abandonnée`)
    assert.isNull(await db.from('failed_jobs').where('id', pageDiscard).first())
  })

  test('without kernel.jobs.manage: 403 on the page, its actions and the API', async ({
    client,
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const { user } = await memberWithGrants(company.id, [{ permission: 'kernel.audit.read' }])
    const token = await tokenFor(user)
    const id = await failedRow({ label: 'forbidden' })
    ;(await client.get('/settings/jobs').loginAs(user)).assertStatus(403)
    ;(
      await client.post(`/settings/jobs/failed/${id}/retry`).loginAs(user).withCsrfToken()
    ).assertStatus(403)
    ;(
      await client.post(`/settings/jobs/failed/${id}/discard`).loginAs(user).withCsrfToken()
    ).assertStatus(403)
    for (const path of ['failed', `failed/${id}`, 'schedules', 'runs']) {
      ;(await client.get(`/api/v1/admin/jobs/${path}`).bearerToken(token)).assertStatus(403)
    }
    ;(await client.post(`/api/v1/admin/jobs/failed/${id}/retry`).bearerToken(token)).assertStatus(
      403
    )
    ;(await client.delete(`/api/v1/admin/jobs/failed/${id}`).bearerToken(token)).assertStatus(403)
    assert.exists(await db.from('failed_jobs').where('id', id).first())
  })
})
