import { Migration } from '@mikro-orm/migrations';

/**
 * Import profiles (issue 22): a regional centre's saved way of reading one kind of its files — layout, column mapping
 * (with fields given as values) and constants — under a name, per region (region_id null: the hub's own, administrators).
 */
export class Migration20261214000200_import_profiles extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table import_profile (
      id serial primary key,
      region_id integer references region (id) on delete cascade,
      name text not null check (length(btrim(name)) between 1 and 100),
      layout text,
      mapping jsonb,
      constants jsonb not null default '{}'::jsonb,
      saved_by text not null,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index import_profile_name_unique on import_profile (coalesce(region_id, 0), lower(name));`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table import_profile;`);
  }
}
