import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Quantities are scaled integers (thousandths of the article's unit) and
 * money integer cents, as bigints: 1 000 000 units are 10^9 thousandths.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('stock_settings', (table) => {
      table.integer('company_id').unsigned().primary().references('id').inTable('companies')
      table.boolean('allow_negative').notNullable().defaultTo(false)
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('stock_articles', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('reference', 60).notNullable()
      table.string('name', 200).notNullable()
      // Lower-case, accent-free reference, name and barcode, for search
      table.text('search_text').notNullable()
      table.string('category', 100).nullable()
      table.string('unit', 20).notNullable()
      table.bigInteger('purchase_price_cents').nullable()
      table.bigInteger('min_stock').notNullable().defaultTo(0)
      table.bigInteger('reorder_quantity').notNullable().defaultTo(0)
      table.string('barcode', 64).nullable()
      // Kept by the posting service, in the row lock of each movement: the
      // total on hand (all locations) and the weighted average unit cost.
      table.bigInteger('quantity_on_hand').notNullable().defaultTo(0)
      table.bigInteger('average_cost_cents').notNullable().defaultTo(0)
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      table.unique(['company_id', 'reference'])
      // Keyset pagination by reference (the list) and by name
      table.index(['company_id', 'name', 'id'], 'stock_articles_company_name_idx')
      table.index(['company_id', 'category', 'id'], 'stock_articles_company_category_idx')
      table.index(['company_id', 'barcode'], 'stock_articles_company_barcode_idx')
      table.index(['company_id', 'owner_id'], 'stock_articles_company_owner_idx')
      table.index(['company_id', 'team_id'], 'stock_articles_company_team_idx')
    })

    this.schema.createTable('stock_article_suppliers', (table) => {
      table.increments('id')
      table
        .integer('article_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_articles')
        .onDelete('CASCADE')
      // A contact of the contacts module, by id only: this module never reads its table
      table.integer('contact_id').unsigned().notNullable()
      table.string('supplier_reference', 60).nullable()
      table.bigInteger('price_cents').nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.unique(['article_id', 'contact_id'])
      // Reorder list by supplier, and the contacts' deletion check
      table.index(['contact_id'])
    })

    this.schema.createTable('stock_locations', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('name', 120).notNullable()
      table.string('kind', 12).notNullable()
      table.integer('parent_id').unsigned().nullable().references('id').inTable('stock_locations')
      // A van's technician: the location's owner for record scopes
      table.integer('holder_user_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['company_id', 'name'])
      table.index(['company_id', 'holder_user_id'], 'stock_locations_company_holder_idx')
      table.index(['company_id', 'team_id'], 'stock_locations_company_team_idx')
    })

    this.schema.createTable('stock_levels', (table) => {
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table
        .integer('article_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_articles')
      table
        .integer('location_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_locations')
      table.bigInteger('quantity').notNullable().defaultTo(0)
      table.bigInteger('reserved').notNullable().defaultTo(0)
      // Set by the movement that took this row below zero, while the company's
      // setting allowed it; the CHECK below holds every other row at >= 0.
      table.boolean('allow_negative').notNullable().defaultTo(false)
      table.timestamp('updated_at').notNullable()
      table.primary(['article_id', 'location_id'])
      table.index(['company_id', 'location_id', 'article_id'], 'stock_levels_location_idx')
      // Never negative, enforced by the database as the last guard behind the
      // posting service's conditional updates.
      table.check('quantity >= 0 OR allow_negative = true', [], 'stock_levels_not_negative')
      table.check('reserved >= 0', [], 'stock_levels_reserved_not_negative')
    })

    this.schema.createTable('stock_movements', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('number', 40).notNullable()
      table.string('type', 12).notNullable()
      table
        .integer('from_location_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('stock_locations')
      table
        .integer('to_location_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('stock_locations')
      table.string('reason', 500).nullable()
      // What the movement was for: an intervention, a chantier, a count…
      table.string('reference_model', 80).nullable()
      table.integer('reference_id').nullable()
      table.bigInteger('total_cost_cents').notNullable().defaultTo(0)
      // Who posted it (the record scopes' owner)
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('created_at').notNullable()
      table.unique(['company_id', 'number'])
      table.index(['company_id', 'created_at', 'id'], 'stock_movements_company_created_idx')
      table.index(['company_id', 'owner_id'], 'stock_movements_company_owner_idx')
      table.index(['company_id', 'team_id'], 'stock_movements_company_team_idx')
      table.index(['reference_model', 'reference_id'], 'stock_movements_reference_idx')
    })

    this.schema.createTable('stock_movement_lines', (table) => {
      table.increments('id')
      table
        .integer('movement_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_movements')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table
        .integer('article_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_articles')
      // Positive, except adjustments: the signed difference found at the location
      table.bigInteger('quantity').notNullable()
      table.bigInteger('unit_cost_cents').notNullable()
      table.bigInteger('total_cost_cents').notNullable()
      // The article's weighted average cost after this line (replayed by stock:verify)
      table.bigInteger('average_cost_cents').notNullable()
      table.index(['movement_id'])
      // An article's history, newest first; the top movers
      table.index(['article_id', 'id'], 'stock_movement_lines_article_idx')
      table.index(['company_id', 'id'], 'stock_movement_lines_company_idx')
    })
  }

  async down() {
    this.schema.dropTable('stock_movement_lines')
    this.schema.dropTable('stock_movements')
    this.schema.dropTable('stock_levels')
    this.schema.dropTable('stock_locations')
    this.schema.dropTable('stock_article_suppliers')
    this.schema.dropTable('stock_articles')
    this.schema.dropTable('stock_settings')
  }
}
