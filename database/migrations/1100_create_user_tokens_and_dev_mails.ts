import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One-time links sent by mail (invitation, password reset) and, for
 * development and tests, the mails the application would have sent.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('user_tokens', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // invite | reset
      table.string('purpose', 20).notNullable()
      // SHA-256 of the secret: a leaked table gives no usable link
      table.string('hash', 64).notNullable().unique()
      table.timestamp('expires_at').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['user_id', 'purpose'])
    })

    this.schema.createTable('dev_mails', (table) => {
      table.increments('id')
      table.string('to', 1000).notNullable()
      table.string('from', 300).notNullable()
      table.string('subject', 300).notNullable()
      table.text('html').nullable()
      table.text('text').nullable()
      table.timestamp('created_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('dev_mails')
    this.schema.dropTable('user_tokens')
  }
}
