import { Migration } from '@mikro-orm/migrations';

/**
 * Undo for every import. A merge keeps what it replaced for IMPORT_UNDO_DAYS, so `revertImport` can put it back:
 *
 * - `import_undo_target`: per batch, each table the merge wrote, in order, how its scope is keyed and how it is
 *   restored (`rows`: delete the scope and put the kept rows back; `update`: update kept rows in place, delete
 *   added ones; `partitioned`: participant_result, whose replaced rows were moved aside into `moved_tables`).
 * - `import_undo_key`: the scope the merge replaced, one key per school × assessment (or school × year…), as
 *   jsonb of the key columns. A revert is refused while a later batch holds one of these keys.
 * - `import_undo_row`: the replaced rows of the smaller tables, as jsonb (`to_jsonb(t)`), restored with
 *   `jsonb_populate_record`, ids included.
 * - participant rows are never copied into jsonb: the replaced year partition is detached and renamed
 *   (`import_undo_<batch>_<year>`), or the deleted rows moved into such a table by the in-place merge.
 *
 * `import_batch` learns whether it was a dry run, which batch it reverts or was reverted by, until when it can be
 * undone, the recomputes it asked for (a revert asks for them again) and a dry run's preview.
 */
export class Migration20261212000100_import_undo extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table import_batch
      add column dry_run boolean not null default false,
      add column reverts_batch_id integer references import_batch (id) on delete set null,
      add column reverted_by_batch_id integer references import_batch (id) on delete set null,
      add column undo_until timestamptz,
      add column recompute_requests jsonb not null default '[]',
      add column preview jsonb;`);
    this.addSql(`create index import_batch_reverts_index on import_batch (reverts_batch_id) where reverts_batch_id is not null;`);
    this.addSql(`create index import_batch_undo_until_index on import_batch (undo_until) where undo_until is not null;`);

    this.addSql(`create table import_undo_target (
      batch_id integer not null references import_batch (id) on delete cascade,
      seq smallint not null,
      table_name text not null,
      mode text not null check (mode in ('rows', 'update', 'partitioned')),
      key_columns text[] not null,
      moved_tables text[] not null default '{}',
      primary key (batch_id, seq),
      unique (batch_id, table_name)
    );`);
    this.addSql(`create table import_undo_key (
      batch_id integer not null references import_batch (id) on delete cascade,
      table_name text not null,
      key jsonb not null,
      primary key (batch_id, table_name, key)
    );`);
    this.addSql(`create index import_undo_key_key_index on import_undo_key (table_name, key);`);
    this.addSql(`create table import_undo_row (
      batch_id integer not null references import_batch (id) on delete cascade,
      table_name text not null,
      row jsonb not null
    );`);
    this.addSql(`create index import_undo_row_batch_index on import_undo_row (batch_id, table_name);`);
  }

  async down(): Promise<void> {
    this.addSql(`do $$ declare t text; begin
      for t in select unnest(moved_tables) from import_undo_target loop execute format('drop table if exists %I', t); end loop; end $$;`);
    this.addSql(`drop table if exists import_undo_row;`);
    this.addSql(`drop table if exists import_undo_key;`);
    this.addSql(`drop table if exists import_undo_target;`);
    this.addSql(`alter table import_batch drop column if exists dry_run, drop column if exists reverts_batch_id, drop column if exists reverted_by_batch_id,
      drop column if exists undo_until, drop column if exists recompute_requests, drop column if exists preview;`);
  }
}
