import { Migration } from '@mikro-orm/migrations';

/**
 * Reference values of a territory's total over a procedure in a year, across subjects (issue 22): what the benchmarks
 * template gives in a row without a subject — the ЕГЭ share of graduates with at least 220 test points over three
 * subjects (`percent_sum3_220`, %, of `participants`, the graduates who sat it) for Russia, a region or a municipality.
 * The counterpart of school_exam_total, as benchmark_result is of school_result; compareSchools compares a school's
 * share ≥ 220 with it. No assessment: keyed by year × procedure × territory.
 */
export class Migration20261221000200_benchmark_exam_total extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table benchmark_exam_total (
      id serial primary key,
      year smallint not null,
      procedure procedure not null,
      level benchmark_level not null,
      region_id integer references region (id) on delete cascade,
      municipality_id integer references municipality (id) on delete cascade,
      participants integer check (participants >= 0),
      percent_sum3_220 double precision check (percent_sum3_220 between 0 and 100),
      source text not null default 'imported',
      updated_at timestamptz not null default now(),
      constraint benchmark_exam_total_scope check (
        (level = 'RUSSIA' and region_id is null and municipality_id is null) or
        (level = 'REGION' and region_id is not null and municipality_id is null) or
        (level = 'MUNICIPALITY' and municipality_id is not null))
    );`);
    this.addSql(`create unique index benchmark_exam_total_unique on benchmark_exam_total (year, procedure, level, coalesce(region_id, 0), coalesce(municipality_id, 0));`);
    this.addSql(`create trigger benchmark_exam_total_data_changed after insert or update or delete or truncate on benchmark_exam_total
      for each statement execute function hub_notify_data_changed();`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table if exists benchmark_exam_total;`);
  }
}
