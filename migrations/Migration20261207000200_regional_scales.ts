import { Migration } from '@mikro-orm/migrations';

/**
 * Regional scales. The scale columns of `assessment` now hold only the confirmed, national scale; a scale that
 * arrives with a regional centre's file before one is confirmed is kept in `provisional_scale`, for that region
 * only, so one region's wrong file no longer decides how every other region's rows are judged.
 *
 * `applicable_scale` answers "which scale judges this region's rows": the confirmed one when the assessment has
 * it, else the region's provisional one (readers: aggregates, risk, imports, comparisons). It is a view over
 * `assessment`: a later migration that changes the type of a scale column drops and recreates it.
 *
 * Existing scales stay where they are and count as confirmed: they were accepted as national until now, and
 * results of every region were loaded and judged under them.
 */
export class Migration20261207000200_regional_scales extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table assessment add column scale_confirmed_at timestamptz, add column scale_confirmed_by text;`);
    this.addSql(`update assessment set scale_confirmed_at = now(), scale_confirmed_by = 'migration'
      where max_primary is not null or mark_boundaries is not null or tasks <> '[]'::jsonb;`);

    this.addSql(`create table provisional_scale (
      assessment_id integer not null references assessment (id) on delete cascade,
      region_id integer not null references region (id) on delete cascade,
      max_primary smallint not null check (max_primary > 0),
      mark_boundaries integer[] check (mark_boundaries is null or cardinality(mark_boundaries) = 3),
      minimum_test_score smallint,
      test_scale integer[],
      tasks jsonb not null default '[]',
      -- Where it came from: the import that brought it (kept when the batch row is cleaned up later).
      import_batch_id integer references import_batch (id) on delete set null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (assessment_id, region_id)
    );`);
    this.addSql(`create index provisional_scale_region_id_index on provisional_scale (region_id);`);
    // Read queries show provisional scales (Assessment.scale, provisionalScales): cached answers must drop on change.
    this.addSql(`create trigger provisional_scale_data_changed after insert or update or delete or truncate on provisional_scale
      for each statement execute function hub_notify_data_changed();`);

    this.addSql(`create view applicable_scale as
      select a.id as assessment_id, r.id as region_id,
        case when n.national then 'CONFIRMED' when p.assessment_id is not null then 'PROVISIONAL' end as status,
        case when n.national then a.max_primary else p.max_primary end as max_primary,
        case when n.national then a.mark_boundaries else p.mark_boundaries end as mark_boundaries,
        case when n.national then a.minimum_test_score else p.minimum_test_score end as minimum_test_score,
        case when n.national then a.test_scale else p.test_scale end as test_scale,
        case when n.national then a.tasks else coalesce(p.tasks, '[]'::jsonb) end as tasks
      from assessment a
      cross join lateral (select a.max_primary is not null or a.mark_boundaries is not null or a.tasks <> '[]'::jsonb as national) n
      cross join region r
      left join provisional_scale p on p.assessment_id = a.id and p.region_id = r.id and not n.national;`);
  }

  async down(): Promise<void> {
    this.addSql(`drop view if exists applicable_scale;`);
    this.addSql(`drop table if exists provisional_scale;`);
    this.addSql(`alter table assessment drop column if exists scale_confirmed_at, drop column if exists scale_confirmed_by;`);
  }
}
