import { BaseSchema } from '@adonisjs/lucid/schema'

/** Terms of business: the credit limit granted to a customer and its payment terms. */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('contacts', (table) => {
      // Encours autorisé, in cents; null when none is set
      table.bigInteger('credit_limit_cents').nullable()
      // Délai de paiement in days (0–60, LME)
      table.integer('payment_terms_days').notNullable().defaultTo(30)
    })
  }

  async down() {
    this.schema.alterTable('contacts', (table) => {
      table.dropColumn('credit_limit_cents')
      table.dropColumn('payment_terms_days')
    })
  }
}
