import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * API tokens are listed, and revoked all at once on deactivation, by their
 * owner: index the owner column (PostgreSQL does not index foreign keys by
 * itself, and neither does SQLite).
 */
export default class extends BaseSchema {
  protected tableName = 'auth_access_tokens'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.index(['tokenable_id', 'id'], 'auth_access_tokens_owner_index')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['tokenable_id', 'id'], 'auth_access_tokens_owner_index')
    })
  }
}
