import { BaseSchema } from '@adonisjs/lucid/schema'
import { QueueSchemaService } from '@adonisjs/queue'
import { QUEUE_JOBS_TABLE } from '#config/queue'

/**
 * Jobs and schedules. `queue_jobs` and `queue_schedules` are the database
 * adapter's own tables (their layout is the queue library's); `failed_jobs` keeps the jobs that ran out
 * of retries, whatever the adapter, until an admin retries or discards them;
 * `schedule_runs` logs every scheduled run, one row per schedule and tick —
 * the unique pair is what makes a tick run once across app instances.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (client) => {
      const schema = new QueueSchemaService(client.getWriteClient())
      await schema.createJobsTable(QUEUE_JOBS_TABLE)
      // Workers poll it for the queue's own schedules; the kernel's are in manifests.
      await schema.createSchedulesTable()
    })

    this.schema.createTable('failed_jobs', (table) => {
      table.increments('id')
      // The queue's id of the job (one per dispatch)
      table.string('job_id', 64).notNullable()
      // `<module>.<key>`
      table.string('job', 150).notNullable()
      table.string('module', 60).notNullable()
      table.string('queue', 100).notNullable()
      table.text('payload').notNullable()
      table.text('error').notNullable()
      table.integer('attempts').notNullable()
      table.timestamp('failed_at').notNullable()
      table.index(['job_id'])
    })

    this.schema.createTable('schedule_runs', (table) => {
      table.increments('id')
      // `<module>.<key>`
      table.string('schedule', 150).notNullable()
      table.timestamp('tick_at').notNullable()
      // host:pid of the process that ran it
      table.string('instance', 150).notNullable()
      table.timestamp('started_at').notNullable()
      table.timestamp('finished_at').nullable()
      // running, succeeded, failed
      table.string('outcome', 20).notNullable()
      table.text('error').nullable()
      table.unique(['schedule', 'tick_at'])
    })
  }

  async down() {
    this.schema.dropTable('schedule_runs')
    this.schema.dropTable('failed_jobs')
    this.defer(async (client) => {
      const schema = new QueueSchemaService(client.getWriteClient())
      await schema.dropSchedulesTable()
      await schema.dropJobsTable(QUEUE_JOBS_TABLE)
    })
  }
}
