import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * In-app notifications (one row per recipient, in one company) and each
 * user's choice of channels per notification type.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('notifications', (table) => {
      table.bigIncrements('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // `<module>.<key>`, e.g. kernel.workflow
      table.string('type', 120).notNullable()
      // JSON: { fr, en } or { key, params }, rendered in the reader's language
      table.text('title').notNullable()
      table.text('body').nullable()
      // A path inside the site, e.g. /contacts/12
      table.string('link', 500).nullable()
      table.string('model', 120).nullable()
      table.string('record_id', 64).nullable()
      table.timestamp('read_at').nullable()
      table.timestamp('created_at').notNullable()
      // The centre's list (newest first, keyset on id) and the bell's unread count.
      table.index(['user_id', 'company_id', 'id'])
      table.index(['user_id', 'company_id', 'read_at'])
    })

    this.schema.createTable('notification_preferences', (table) => {
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('type', 120).notNullable()
      table.boolean('in_app').notNullable()
      table.boolean('email').notNullable()
      table.timestamp('updated_at').notNullable()
      table.primary(['user_id', 'type'])
    })
  }

  async down() {
    this.schema.dropTable('notification_preferences')
    this.schema.dropTable('notifications')
  }
}
