import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    // Stock set aside for a record of another module (an intervention, a chantier):
    // the level's `reserved` is the sum of these rows, which stock:verify checks.
    this.schema.createTable('stock_reservations', (table) => {
      table.increments('id')
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
      table.string('reference_model', 80).notNullable()
      table.integer('reference_id').notNullable()
      table.bigInteger('quantity').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['article_id', 'location_id', 'reference_model', 'reference_id'])
      table.index(['company_id', 'reference_model', 'reference_id'], 'stock_reservations_ref_idx')
      table.check('quantity > 0', [], 'stock_reservations_positive')
    })

    this.schema.createTable('stock_counts', (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table
        .integer('location_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_locations')
      // open → validated | cancelled
      table.string('status', 12).notNullable()
      table.integer('movement_id').unsigned().nullable().references('id').inTable('stock_movements')
      // Who opened it (the record scopes' owner)
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.integer('validated_by').unsigned().nullable().references('id').inTable('users')
      table.timestamp('validated_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['company_id', 'status', 'id'], 'stock_counts_company_status_idx')
      table.index(['company_id', 'owner_id'], 'stock_counts_company_owner_idx')
      table.index(['company_id', 'team_id'], 'stock_counts_company_team_idx')
    })

    this.schema.createTable('stock_count_lines', (table) => {
      table.increments('id')
      table
        .integer('count_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_counts')
        .onDelete('CASCADE')
      table
        .integer('article_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('stock_articles')
      // The level when the count was opened, for the counter's information
      table.bigInteger('expected').notNullable()
      // What was found; null until entered
      table.bigInteger('counted').nullable()
      table.unique(['count_id', 'article_id'])
    })
  }

  async down() {
    this.schema.dropTable('stock_count_lines')
    this.schema.dropTable('stock_counts')
    this.schema.dropTable('stock_reservations')
  }
}
