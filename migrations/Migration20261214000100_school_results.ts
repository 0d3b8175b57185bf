import { Migration } from '@mikro-orm/migrations';

/**
 * What sources publish per school besides marks (issue 22, target `school-results`):
 * - school_result.count_test_80 / count_test_100: participants with an ЕГЭ test score of at least 80 / of 100 (computed
 *   from participant rows, or imported); below_minimum and mean_test_score already had their meaning;
 * - school_exam_total: one school × year × procedure over all subjects — participants (graduates who sat the
 *   procedure) and count_sum3_220, graduates with at least 220 test points over three subjects (ЕГЭ), as city open-data
 *   portals publish them; no subject, so no assessment;
 * - benchmark_result.percent_below_minimum / percent_test_80 / percent_test_100: the same thresholds as shares, %, of a
 *   territory's participants (Russia's published, region's and municipalities' computed from school results).
 */
export class Migration20261214000100_school_results extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table school_result add column count_test_80 integer, add column count_test_100 integer;`);
    this.addSql(`alter table benchmark_result add column percent_below_minimum double precision, add column percent_test_80 double precision,
      add column percent_test_100 double precision;`);
    this.addSql(`create table school_exam_total (
      id serial primary key,
      school_id integer not null references school (id) on delete cascade,
      year smallint not null,
      procedure procedure not null,
      participants integer check (participants >= 0),
      count_sum3_220 integer check (count_sum3_220 >= 0),
      source result_source not null default 'IMPORTED',
      updated_at timestamptz not null default now(),
      constraint school_exam_total_unique unique (school_id, year, procedure)
    );`);
    this.addSql(`create index school_exam_total_year_index on school_exam_total (year, school_id);`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table school_exam_total;`);
    this.addSql(`alter table benchmark_result drop column percent_below_minimum, drop column percent_test_80, drop column percent_test_100;`);
    this.addSql(`alter table school_result drop column count_test_80, drop column count_test_100;`);
  }
}
