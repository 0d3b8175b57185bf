import { Migration } from '@mikro-orm/migrations';

/**
 * Import profiles keep where a JSON file's records are (`recordsPath`, keys joined by «.», e.g. `result.records` of
 * CKAN's datastore API), like the other file options. Null: not kept — the top-level array, or the one array of records
 * under the top-level object — unless the start gives it.
 */
export class Migration20261219000100_import_profile_records_path extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table import_profile add column records_path text check (length(records_path) between 1 and 200);`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table import_profile drop column if exists records_path;`);
  }
}
