import { Migration } from '@mikro-orm/migrations';

/**
 * Re-running an import (issue 22, school matching): `rerunImport` starts a new batch from the file and options of a
 * finished one — after an administrator confirmed the unknown school codes as aliases, say. The new batch names the
 * batch it re-runs (`rerun_of`), and is never recognised as a repeat of it. The file of a batch whose rows were refused
 * is kept (`stored_path`) until UPLOAD_RETENTION_HOURS after the batch finished, then removed by the upload sweeper.
 */
export class Migration20261221000300_import_rerun extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table import_batch add column rerun_of integer references import_batch (id) on delete set null;`);
    this.addSql(`create index import_batch_rerun_of_index on import_batch (rerun_of) where rerun_of is not null;`);
    // The sweeper looks for final batches still holding their file.
    this.addSql(`create index import_batch_kept_file_index on import_batch (finished_at) where stored_path is not null and status in ('DONE', 'REJECTED');`);
  }

  async down(): Promise<void> {
    this.addSql(`drop index if exists import_batch_kept_file_index;`);
    this.addSql(`alter table import_batch drop column if exists rerun_of;`);
  }
}
