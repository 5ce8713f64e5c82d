import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Deliveries that survive a crash. `notification_mails` keeps each mail a
 * notification owes, written in the notifying transaction, so a process that
 * dies between the commit and the sending leaves it pending for the kernel's
 * delivery sweep; workflow deliveries get the same attempt bookkeeping.
 * Imports get the index their retention sweep reads, scheduled runs the one
 * the jobs page lists one schedule's runs by.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('notification_mails', (table) => {
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
      // `<module>.<key>` of the notification
      table.string('type', 120).notNullable()
      // The address and language chosen when the notification was raised
      table.string('email', 254).notNullable()
      table.string('locale', 10).notNullable()
      // JSON texts, as in `notifications`
      table.text('title').notNullable()
      table.text('body').nullable()
      table.string('link', 500).nullable()
      // pending → sending → sent; failed once out of attempts (or interrupted while sending)
      table.string('status', 10).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('last_error').nullable()
      // When the sweep may try it again after a failed attempt
      table.timestamp('next_attempt_at').nullable()
      table.timestamp('claimed_at').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      // The sweep: pending (and stuck sending) rows, oldest first
      table.index(['status', 'id'])
    })

    this.schema.alterTable('workflow_deliveries', (table) => {
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('last_error').nullable()
      table.timestamp('next_attempt_at').nullable()
    })

    this.schema.alterTable('imports', (table) => {
      // The retention sweep: imports not applied, least recently touched first
      table.index(['status', 'updated_at'])
    })

    this.schema.alterTable('schedule_runs', (table) => {
      // One schedule's runs, newest first (keyset on id)
      table.index(['schedule', 'id'])
    })
  }

  async down() {
    this.schema.alterTable('schedule_runs', (table) => {
      table.dropIndex(['schedule', 'id'])
    })
    this.schema.alterTable('imports', (table) => {
      table.dropIndex(['status', 'updated_at'])
    })
    this.schema.alterTable('workflow_deliveries', (table) => {
      table.dropColumn('next_attempt_at')
      table.dropColumn('last_error')
      table.dropColumn('attempts')
    })
    this.schema.dropTable('notification_mails')
  }
}
