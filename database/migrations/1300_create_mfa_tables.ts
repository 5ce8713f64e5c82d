import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Multi-factor sign-in: a role may require it (the built-in admin role does
 * by default); a user who switched it on holds one TOTP secret (encrypted
 * with the app key; until a first code confirms it, an enrolment's secret
 * stays in the session) and a set of single-use recovery codes, stored as
 * keyed hashes.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('roles', (table) => {
      table.boolean('mfa_required').notNullable().defaultTo(false)
    })
    this.defer(async (client) => {
      await client.from('roles').where('key', 'admin').update({ mfa_required: true })
    })

    this.schema.createTable('user_mfa', (table) => {
      table
        .integer('user_id')
        .unsigned()
        .primary()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.text('secret').notNullable()
      table.timestamp('enabled_at').notNullable()
      // The last TOTP time step accepted: a code is never accepted twice.
      table.bigInteger('last_used_step').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('user_recovery_codes', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // HMAC-SHA-256 of the code under a key derived from the app key
      table.string('hash', 64).notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['user_id', 'hash'])
    })
  }

  async down() {
    this.schema.dropTable('user_recovery_codes')
    this.schema.dropTable('user_mfa')
    this.schema.alterTable('roles', (table) => {
      table.dropColumn('mfa_required')
    })
  }
}
