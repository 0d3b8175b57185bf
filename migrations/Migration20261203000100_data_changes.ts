import { Migration } from '@mikro-orm/migrations';

/**
 * Data-change notifications: every statement that changes data a read query can show sends
 * NOTIFY hub_data_changed with the table's name, delivered at commit (never for a rolled-back change).
 * API processes listen and drop their cached responses (src/graphql/response-cache). Statement-level, so a
 * million-row COPY costs one notification, and pg_notify folds repeats within a transaction into one.
 * Left out: tables only admins' and importers' uncached queries read (keys, audit, batches, job requests).
 */
const UNWATCHED_TABLES = ['api_key', 'audit_log', 'import_batch', 'import_row_error', 'job_request', 'mikro_orm_migrations'];

export class Migration20261203000100_data_changes extends Migration {
  async up(): Promise<void> {
    this.addSql(`create function hub_notify_data_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('hub_data_changed', tg_table_name);
        return null;
      end $$;`);
    // Partitions are left out: writes go through the parent (whose statement triggers fire), and the import's
    // partition swap, which is DDL and fires no trigger, notifies explicitly.
    this.addSql(`do $$
      declare t record;
      begin
        for t in select c.relname from pg_class c
                 where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
                   and c.relname <> all (array[${UNWATCHED_TABLES.map((name) => `'${name}'`).join(', ')}])
        loop
          execute format('create trigger %I after insert or update or delete or truncate on %I
                          for each statement execute function hub_notify_data_changed()', t.relname || '_data_changed', t.relname);
        end loop;
      end $$;`);
  }

  async down(): Promise<void> {
    this.addSql(`drop function if exists hub_notify_data_changed() cascade;`);
  }
}
