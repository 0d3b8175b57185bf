import { Migration } from '@mikro-orm/migrations';

/**
 * participant_result's unique key leads with the school: (year, school_id, assessment_id, participant_code). It then
 * serves every lookup by school — the aggregates of a set of schools, an import's scope of school × assessment, a
 * school's participant rows — and the separate index on (school_id, assessment_id) duplicated it. Each large import
 * rebuilt that index over its million rows for nothing (0.6–0.8 s, bench:import) and each smaller one updated it row by
 * row. Statements that read one assessment across schools (a scale's confirmation or import, rare) group by
 * assessment over the year's partition instead of walking the key.
 */
export class Migration20261220000100_participant_school_key extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table participant_result drop constraint participant_result_unique;`);
    this.addSql(`drop index participant_result_school_assessment_index;`);
    this.addSql(`alter table participant_result add constraint participant_result_unique unique (year, school_id, assessment_id, participant_code);`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table participant_result drop constraint participant_result_unique;`);
    this.addSql(`alter table participant_result add constraint participant_result_unique unique (year, assessment_id, school_id, participant_code);`);
    this.addSql(`create index participant_result_school_assessment_index on participant_result (school_id, assessment_id);`);
  }
}
