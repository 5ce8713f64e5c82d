import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The kernel's own tables: users and their sessions and tokens, companies,
 * roles and grants, teams, module state and numbering series.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('companies', (table) => {
      table.increments('id')
      table.string('name', 200).notNullable()
      table.string('legal_name', 200).nullable()
      table.string('legal_form', 60).nullable()
      table.string('siren', 9).nullable()
      table.string('siret', 14).nullable()
      table.string('vat_number', 20).nullable()
      table.string('rcs', 100).nullable()
      table.bigInteger('capital_cents').nullable()
      table.string('address_line1', 200).nullable()
      table.string('address_line2', 200).nullable()
      table.string('postal_code', 20).nullable()
      table.string('city', 100).nullable()
      table.string('country', 2).notNullable().defaultTo('FR')
      table.string('email', 254).nullable()
      table.string('phone', 40).nullable()
      table.string('logo_path', 300).nullable()
      table.text('decennial_insurance').nullable()
      table.string('timezone', 60).notNullable().defaultTo('Europe/Paris')
      table.string('locale', 5).notNullable().defaultTo('fr')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 200).nullable()
      table.string('password').notNullable()
      table.string('locale', 5).notNullable().defaultTo('fr')
      table.boolean('is_active').notNullable().defaultTo(true)
      table.integer('current_company_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('auth_access_tokens', (table) => {
      table.increments('id')
      table
        .integer('tokenable_id')
        .notNullable()
        .unsigned()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('type').notNullable()
      table.string('name').nullable()
      table.string('hash').notNullable()
      table.text('abilities').notNullable()
      table.timestamp('created_at')
      table.timestamp('updated_at')
      table.timestamp('last_used_at').nullable()
      table.timestamp('expires_at').nullable()
    })

    this.schema.createTable('sessions', (table) => {
      table.string('id').primary()
      table.text('data').notNullable()
      table.string('user_id').nullable().index()
      table.timestamp('expires_at').notNullable().index()
    })

    this.schema.createTable('roles', (table) => {
      table.increments('id')
      table.string('key', 60).notNullable().unique()
      table.string('name', 120).notNullable()
      table.boolean('is_builtin').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('role_permissions', (table) => {
      table
        .integer('role_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('roles')
        .onDelete('CASCADE')
      table.string('permission', 120).notNullable()
      // Record scope for reads of this permission's resource: all | team | own
      table.string('scope', 8).notNullable().defaultTo('all')
      table.primary(['role_id', 'permission'])
    })

    this.schema.createTable('company_users', (table) => {
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
      table.integer('role_id').unsigned().notNullable().references('id').inTable('roles')
      table.primary(['company_id', 'user_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('teams', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('name', 120).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['company_id', 'name'])
    })

    this.schema.createTable('team_users', (table) => {
      table
        .integer('team_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('teams')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.primary(['team_id', 'user_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('modules', (table) => {
      table.string('name', 60).primary()
      table.string('version', 40).notNullable()
      table.boolean('enabled').notNullable().defaultTo(false)
      table.timestamp('installed_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('sequences', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('key', 80).notNullable()
      table.string('label', 120).notNullable()
      table.string('prefix', 40).notNullable()
      table.integer('padding').notNullable()
      table.string('reset', 10).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['company_id', 'key'])
    })

    this.schema.createTable('sequence_counters', (table) => {
      table
        .integer('sequence_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('sequences')
        .onDelete('CASCADE')
      // '' for series that never reset, the year otherwise
      table.string('period', 10).notNullable()
      table.integer('last_value').notNullable()
      table.primary(['sequence_id', 'period'])
    })
  }

  async down() {
    for (const name of [
      'sequence_counters',
      'sequences',
      'modules',
      'team_users',
      'teams',
      'company_users',
      'role_permissions',
      'roles',
      'sessions',
      'auth_access_tokens',
      'users',
      'companies',
    ]) {
      this.schema.dropTable(name)
    }
  }
}
