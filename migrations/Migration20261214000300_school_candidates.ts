import { Migration } from '@mikro-orm/migrations';

/**
 * School matching (issue 22): school codes an import did not find, with the rows that carried them and the schools of
 * the key's region they may mean (name similarity, score 0–1), kept per batch so the report can offer them for
 * confirmation as an alias (confirmSchoolAlias). Written outside the import's transaction: a rejected file keeps them.
 */
export class Migration20261214000300_school_candidates extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table import_school_candidate (
      batch_id integer not null references import_batch (id) on delete cascade,
      code text not null,
      school_name text,
      rows integer[] not null,
      candidates jsonb not null default '[]'::jsonb,
      primary key (batch_id, code)
    );`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table import_school_candidate;`);
  }
}
