import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The audit trail: who changed what, when, with before/after values, and
 * every authentication and authorization event. Append-only: the app has no
 * update or delete path, and triggers make the database itself refuse them,
 * so not even a stray query or a hand-run SQL statement can rewrite history.
 * No foreign keys: deleting a company or a user must not cascade into (and
 * be refused by) its history.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.timestamp('occurred_at').notNullable()
      table.integer('company_id').nullable()
      table.integer('actor_id').nullable()
      table.string('ip', 45).nullable()
      table.string('request_id', 64).nullable()
      table.string('event', 40).notNullable()
      // `<module>.<model>`, e.g. contacts.contact; null for events about no record
      table.string('model', 120).nullable()
      table.string('record_id', 64).nullable()
      // JSON: { field: [before, after] }, changed fields only
      table.text('changes').nullable()
      table.text('meta').nullable()
      // The admin page lists a company's entries newest first, the History
      // tab one record's, and filters by actor or event within a company.
      table.index(['company_id', 'id'])
      table.index(['model', 'record_id', 'id'])
      table.index(['actor_id', 'id'])
      table.index(['company_id', 'event', 'id'])
    })

    this.defer(async (client) => {
      if (client.dialect.name === 'postgres') {
        await client.rawQuery(`
          CREATE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
          BEGIN
            RAISE EXCEPTION 'audit_logs is append-only';
          END;
          $$ LANGUAGE plpgsql`)
        await client.rawQuery(`
          CREATE TRIGGER audit_logs_append_only
          BEFORE UPDATE OR DELETE ON audit_logs
          FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()`)
        await client.rawQuery(`
          CREATE TRIGGER audit_logs_no_truncate
          BEFORE TRUNCATE ON audit_logs
          FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()`)
      } else {
        await client.rawQuery(`
          CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
        await client.rawQuery(`
          CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
      }
    })
  }

  async down() {
    // Dropping the table drops its triggers on both databases.
    this.schema.dropTable(this.tableName)
    this.defer(async (client) => {
      if (client.dialect.name === 'postgres') {
        await client.rawQuery('DROP FUNCTION IF EXISTS audit_logs_append_only()')
      }
    })
  }
}
