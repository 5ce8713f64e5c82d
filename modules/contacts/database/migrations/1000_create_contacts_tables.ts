import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('contacts', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('code', 30).notNullable()
      table.string('kind', 10).notNullable()
      table.string('name', 200).notNullable()
      // Lower-case, accent-free copy of the name: sort key and prefix search
      table.string('sort_name', 200).notNullable()
      // Lower-case, accent-free haystack (name, code, email, city, SIRET…) for search
      table.text('search_text').notNullable()
      table.boolean('is_customer').notNullable().defaultTo(false)
      table.boolean('is_supplier').notNullable().defaultTo(false)
      table.string('siren', 9).nullable()
      table.string('siret', 14).nullable()
      table.string('vat_number', 20).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 40).nullable()
      table.text('addresses').notNullable()
      table.text('tags').notNullable()
      table.text('notes').nullable()
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      table.unique(['company_id', 'code'])
      // Keyset pagination for each sort the list offers
      table.index(['company_id', 'sort_name', 'id'], 'contacts_company_sort_name_idx')
      table.index(['company_id', 'code', 'id'], 'contacts_company_code_idx')
      table.index(['company_id', 'created_at', 'id'], 'contacts_company_created_idx')
      // Record scopes (own / team)
      table.index(['company_id', 'owner_id'], 'contacts_company_owner_idx')
      table.index(['company_id', 'team_id'], 'contacts_company_team_idx')
    })

    this.schema.createTable('contact_people', (table) => {
      table.increments('id')
      table
        .integer('contact_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contacts')
        .onDelete('CASCADE')
      table.string('first_name', 100).nullable()
      table.string('last_name', 100).notNullable()
      table.string('job_title', 100).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 40).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.index(['contact_id'])
    })
  }

  async down() {
    this.schema.dropTable('contact_people')
    this.schema.dropTable('contacts')
  }
}
