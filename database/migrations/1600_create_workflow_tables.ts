import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Workflows: the published versions of each workflow-enabled model's
 * definition (immutable once published: records keep the version they
 * started under), one draft per model that admins edit and test before
 * publishing, and the notifications and mails transitions queue for the
 * delivery service.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('workflow_versions', (table) => {
      table.increments('id')
      // `<module>.<model>`, e.g. contacts.contact
      table.string('model', 120).notNullable()
      table.integer('version').notNullable()
      // JSON: { states, transitions }
      table.text('definition').notNullable()
      table.timestamp('published_at').notNullable()
      // Null for the module's default (version 1)
      table.integer('published_by').nullable()
      table.unique(['model', 'version'])
    })

    this.schema.createTable('workflow_drafts', (table) => {
      table.string('model', 120).primary()
      table.text('definition').notNullable()
      // The version the draft was started from
      table.integer('based_on').notNullable()
      table.integer('updated_by').nullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('workflow_deliveries', (table) => {
      table.bigIncrements('id')
      table.integer('company_id').notNullable()
      table.string('model', 120).notNullable()
      table.string('record_id', 64).notNullable()
      table.string('transition', 60).notNullable()
      // notify | email
      table.string('channel', 10).notNullable()
      // JSON: user ids
      table.text('recipients').notNullable()
      // JSON: { fr, en }
      table.text('message').notNullable()
      // pending | delivered | failed
      table.string('status', 10).notNullable().defaultTo('pending')
      table.timestamp('created_at').notNullable()
      table.index(['status', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('workflow_deliveries')
    this.schema.dropTable('workflow_drafts')
    this.schema.dropTable('workflow_versions')
  }
}
