import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    // Recouvrement tables: named, versioned, one active version per company.
    this.schema.createTable('ardoise_tables', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('name', 200).notNullable()
      table.integer('version').notNullable()
      table.boolean('is_active').notNullable().defaultTo(false)
      table.string('source', 20).notNullable() // 'seed' or 'csv'
      table.string('file_name', 255).nullable()
      table.text('notes').nullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users')
      table.timestamp('activated_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      table.unique(['company_id', 'name', 'version'])
      table.index(['company_id', 'id'], 'ardoise_tables_company_idx')
    })
    // At most one active version per company, whatever the application does.
    this.schema.raw(
      'CREATE UNIQUE INDEX ardoise_tables_one_active_idx ON ardoise_tables (company_id) WHERE is_active'
    )

    // One line per pitch; overlaps in mm for zone z and band b, null for "–".
    this.schema.createTable('ardoise_table_rows', (table) => {
      table.increments('id')
      table
        .integer('table_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('ardoise_tables')
        .onDelete('CASCADE')
      // Pitch in thousandths of a percent (22.5 % → 22500): exact, sortable
      table.integer('pitch_milli').notNullable()
      for (const zone of [1, 2, 3]) {
        for (const band of [1, 2, 3]) table.integer(`z${zone}_b${band}`).nullable()
      }
      table.unique(['table_id', 'pitch_milli'])
    })

    this.schema.createTable('ardoise_formats', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.integer('length_mm').notNullable()
      table.integer('width_mm').notNullable()
      // Micrometres (3.3 mm → 3300): a scaled integer, like every quantity
      table.integer('thickness_um').nullable()
      table.string('supplier', 200).nullable()
      table.string('reference', 100).nullable()
      // Price of one slate, in cents
      table.integer('price_cents').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      table.index(['company_id', 'length_mm', 'width_mm'], 'ardoise_formats_company_size_idx')
    })

    this.schema.createTable('ardoise_calculations', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('title', 200).notNullable()
      // The table version the result came from: kept when a new version is activated
      table.integer('table_id').unsigned().notNullable().references('id').inTable('ardoise_tables')
      table.string('table_label', 255).notNullable()
      table
        .integer('format_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('ardoise_formats')
        .onDelete('SET NULL')
      table.text('inputs').notNullable()
      table.text('result').notNullable()
      table.boolean('feasible').notNullable()
      table.string('reason', 30).nullable()
      // The record it was made for (`{ model, id }` of another module), if any
      table.string('record_model', 100).nullable()
      table.integer('record_id').nullable()
      table.text('search_text').notNullable()
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      // Keyset pagination, newest first; record scopes; calculations of a record
      table.index(['company_id', 'id'], 'ardoise_calculations_company_idx')
      table.index(['company_id', 'owner_id'], 'ardoise_calculations_company_owner_idx')
      table.index(['company_id', 'team_id'], 'ardoise_calculations_company_team_idx')
      table.index(
        ['company_id', 'record_model', 'record_id'],
        'ardoise_calculations_company_record_idx'
      )
    })
  }

  async down() {
    this.schema.dropTable('ardoise_calculations')
    this.schema.dropTable('ardoise_formats')
    this.schema.dropTable('ardoise_table_rows')
    this.schema.dropTable('ardoise_tables')
  }
}
