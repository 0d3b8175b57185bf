import { Migration } from '@mikro-orm/migrations';

/**
 * participant_result ids come from their sequence in blocks of 1,000 per session. With the default of one value
 * per call, nextval locks the sequence and writes WAL every 32 rows: a third of the time PostgreSQL spends taking
 * in a million-row import. Ids are surrogate keys; the gaps a session leaves when it ends mean nothing.
 */
export class Migration20261203000500_participant_id_cache extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter sequence participant_result_id_seq cache 1000;`);
  }

  async down(): Promise<void> {
    this.addSql(`alter sequence participant_result_id_seq cache 1;`);
  }
}
