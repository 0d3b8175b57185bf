import { Migration } from '@mikro-orm/migrations';

/**
 * participant_result (assessment_id) duplicated the unique key: within a year partition, (year, assessment_id,
 * school_id, participant_code) leads with the assessment, and every statement that looks participants up by
 * assessment also names the year. Each large import rebuilt it for nothing (half a second per million rows).
 */
export class Migration20261203000200_participant_indexes extends Migration {
  async up(): Promise<void> {
    this.addSql(`drop index if exists participant_result_assessment_index;`);
  }

  async down(): Promise<void> {
    this.addSql(`create index participant_result_assessment_index on participant_result (assessment_id);`);
  }
}
