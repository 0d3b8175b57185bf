import { Migration } from '@mikro-orm/migrations';

/**
 * A revert leaves the database as it was before the import, so it must know which year partitions of
 * participant_result the import created (none existed for that year): those are dropped again when the revert
 * leaves them empty. Noted on the batch's participant target; assessments it created are keys of its `assessment`
 * target without a kept row, which needs no column.
 */
export class Migration20261215001300_undo_created_partitions extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table import_undo_target add column created_partitions integer[] not null default '{}';`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table import_undo_target drop column if exists created_partitions;`);
  }
}
