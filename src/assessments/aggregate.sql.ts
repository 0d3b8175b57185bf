/**
 * Per-school aggregates of one year for a set of schools, computed from participant rows in one statement. A row
 * without a mark counts with the mark its primary score gives on the applicable scale, when that scale has boundaries.
 * Bindings: year, school ids (int[] literal), year. Imported aggregates are replaced only where participant
 * rows now exist: detail beats summary. % of maximum, the histogram's length, ЕГЭ minimum and task completion
 * follow the scale that applies in the school's region (confirmed, else the region's provisional one).
 */
export const UPSERT_SCHOOL_RESULTS = `
with scoped as (
  -- A row without a mark takes the one its primary score gives on the scale that applies in its region (issue 22):
  -- files with scores only get shares of marks and journal agreement once the scale is known, and again when it changes.
  select pr.school_id, sch.region_id, pr.assessment_id, pr.primary_score,
    coalesce(pr.mark, case
      when ms.mark_boundaries is null then null
      when pr.primary_score >= ms.mark_boundaries[3] then 5 when pr.primary_score >= ms.mark_boundaries[2] then 4
      when pr.primary_score >= ms.mark_boundaries[1] then 3 else 2 end)::smallint as mark,
    pr.journal_mark, pr.test_score, pr.task_scores
  from participant_result pr join school sch on sch.id = pr.school_id
  left join applicable_scale ms on ms.assessment_id = pr.assessment_id and ms.region_id = sch.region_id
  where pr.year = ? and pr.school_id = any(?::int[])
),
base as (
  select s.school_id, s.region_id, s.assessment_id,
    count(*)::int as participants,
    count(*) filter (where s.mark = 2)::int as c2,
    count(*) filter (where s.mark = 3)::int as c3,
    count(*) filter (where s.mark = 4)::int as c4,
    count(*) filter (where s.mark = 5)::int as c5,
    bool_or(s.mark is not null) as has_marks,
    bool_or(s.journal_mark is not null and s.mark is not null) as has_journal,
    count(*) filter (where s.mark < s.journal_mark)::int as lowered,
    count(*) filter (where s.mark = s.journal_mark)::int as confirmed,
    count(*) filter (where s.mark > s.journal_mark)::int as raised,
    count(*) filter (where abs(s.mark - s.journal_mark) >= 2)::int as mismatch2,
    avg(s.primary_score)::float8 as mean_primary,
    stddev_samp(s.primary_score)::float8 as sd_primary,
    max(s.primary_score) as max_seen,
    avg(s.test_score)::float8 as mean_test,
    count(*) filter (where s.test_score < sc.minimum_test_score)::int as below_min_test,
    bool_or(s.test_score is not null) as has_test,
    count(*) filter (where s.test_score >= 80)::int as test80,
    count(*) filter (where s.test_score >= 100)::int as test100
  from scoped s
  join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = s.region_id
  group by s.school_id, s.region_id, s.assessment_id
),
hist as (
  select school_id, assessment_id, primary_score, count(*)::int as n
  from scoped group by school_id, assessment_id, primary_score
),
hist_arr as (
  select b.school_id, b.assessment_id, array_agg(coalesce(h.n, 0) order by g) as histogram
  from base b
  join applicable_scale sc on sc.assessment_id = b.assessment_id and sc.region_id = b.region_id
  cross join lateral generate_series(0, greatest(coalesce(sc.max_primary, 0), b.max_seen)) as g
  left join hist h on h.school_id = b.school_id and h.assessment_id = b.assessment_id and h.primary_score = g
  group by b.school_id, b.assessment_id
),
task as (
  -- "not done" (null) counts as 0 points: completion is the share of the maximum the class achieved.
  select s.school_id, s.region_id, s.assessment_id, t.ord::int as ord, sum(coalesce(t.score, 0))::float8 as points, count(*)::int as n
  from scoped s cross join lateral unnest(s.task_scores) with ordinality as t(score, ord)
  group by s.school_id, s.region_id, s.assessment_id, t.ord
),
task_arr as (
  select t.school_id, t.assessment_id,
    array_agg(t.points / nullif(t.n * (sc.tasks -> (t.ord - 1) ->> 'maxPoints')::float8, 0) order by t.ord) as completion
  from task t join applicable_scale sc on sc.assessment_id = t.assessment_id and sc.region_id = t.region_id
  group by t.school_id, t.assessment_id
)
insert into school_result as sr (
  school_id, assessment_id, year, participants, count2, count3, count4, count5, mean_primary, mean_percent, histogram,
  journal_lowered, journal_confirmed, journal_raised, journal_mismatch2, below_minimum, mean_test_score, task_completion,
  sd_percent, count_test_80, count_test_100, source, updated_at)
select b.school_id, b.assessment_id, ?, b.participants,
  case when b.has_marks then b.c2 end, case when b.has_marks then b.c3 end,
  case when b.has_marks then b.c4 end, case when b.has_marks then b.c5 end,
  b.mean_primary,
  100 * b.mean_primary / nullif(sc.max_primary, 0),
  h.histogram,
  case when b.has_journal then b.lowered end, case when b.has_journal then b.confirmed end,
  case when b.has_journal then b.raised end, case when b.has_journal then b.mismatch2 end,
  case
    when a.procedure = 'EGE' and sc.minimum_test_score is not null then b.below_min_test
    when a.procedure in ('OGE', 'GVE', 'EGE') and b.has_marks then b.c2
  end,
  b.mean_test,
  t.completion,
  100 * b.sd_primary / nullif(sc.max_primary, 0),
  case when b.has_test and a.procedure = 'EGE' then b.test80 end, case when b.has_test and a.procedure = 'EGE' then b.test100 end,
  'COMPUTED', now()
from base b
join assessment a on a.id = b.assessment_id
join applicable_scale sc on sc.assessment_id = b.assessment_id and sc.region_id = b.region_id
join hist_arr h on h.school_id = b.school_id and h.assessment_id = b.assessment_id
left join task_arr t on t.school_id = b.school_id and t.assessment_id = b.assessment_id
on conflict (school_id, assessment_id) do update set
  year = excluded.year, participants = excluded.participants,
  count2 = excluded.count2, count3 = excluded.count3, count4 = excluded.count4, count5 = excluded.count5,
  mean_primary = excluded.mean_primary, mean_percent = excluded.mean_percent, histogram = excluded.histogram,
  journal_lowered = excluded.journal_lowered, journal_confirmed = excluded.journal_confirmed,
  journal_raised = excluded.journal_raised, journal_mismatch2 = excluded.journal_mismatch2,
  below_minimum = excluded.below_minimum, mean_test_score = excluded.mean_test_score,
  task_completion = excluded.task_completion, sd_percent = excluded.sd_percent, count_test_80 = excluded.count_test_80,
  count_test_100 = excluded.count_test_100, source = 'COMPUTED', updated_at = now()
where (sr.participants, sr.count2, sr.count3, sr.count4, sr.count5, sr.histogram, sr.journal_raised, sr.journal_lowered,
       sr.below_minimum, sr.task_completion, sr.sd_percent, sr.count_test_80, sr.count_test_100, sr.source)
  is distinct from
      (excluded.participants, excluded.count2, excluded.count3, excluded.count4, excluded.count5, excluded.histogram,
       excluded.journal_raised, excluded.journal_lowered, excluded.below_minimum, excluded.task_completion, excluded.sd_percent,
       excluded.count_test_80, excluded.count_test_100, excluded.source)`;

/** Computed results whose participant rows are gone (e.g. a corrected import removed them). Bindings: year, ids. */
export const DELETE_STALE_SCHOOL_RESULTS = `
delete from school_result sr
where sr.year = ? and sr.school_id = any(?::int[]) and sr.source = 'COMPUTED'
  and not exists (
    select 1 from participant_result pr
    where pr.year = sr.year and pr.school_id = sr.school_id and pr.assessment_id = sr.assessment_id)`;

const BENCHMARK_VALUES = `
  sum(sr.participants)::int,
  100.0 * sum(sr.count2) / nullif(sum(sr.count2 + sr.count3 + sr.count4 + sr.count5), 0),
  100.0 * sum(sr.count3) / nullif(sum(sr.count2 + sr.count3 + sr.count4 + sr.count5), 0),
  100.0 * sum(sr.count4) / nullif(sum(sr.count2 + sr.count3 + sr.count4 + sr.count5), 0),
  100.0 * sum(sr.count5) / nullif(sum(sr.count2 + sr.count3 + sr.count4 + sr.count5), 0),
  sum(sr.mean_percent * sr.participants) / nullif(sum(sr.participants) filter (where sr.mean_percent is not null), 0),
  sum(sr.mean_test_score * sr.participants) / nullif(sum(sr.participants) filter (where sr.mean_test_score is not null), 0),
  100.0 * sum(sr.below_minimum) / nullif(sum(sr.participants) filter (where sr.below_minimum is not null), 0),
  100.0 * sum(sr.count_test_80) / nullif(sum(sr.participants) filter (where sr.count_test_80 is not null), 0),
  100.0 * sum(sr.count_test_100) / nullif(sum(sr.participants) filter (where sr.count_test_100 is not null), 0),
  'computed',
  sum(sr.journal_lowered)::int, sum(sr.journal_confirmed)::int, sum(sr.journal_raised)::int`;

const BENCHMARK_CONFLICT = `
on conflict (assessment_id, level, coalesce(region_id, 0), coalesce(municipality_id, 0)) do update set
  participants = excluded.participants, percent2 = excluded.percent2, percent3 = excluded.percent3,
  percent4 = excluded.percent4, percent5 = excluded.percent5, mean_percent = excluded.mean_percent,
  mean_test_score = excluded.mean_test_score, percent_below_minimum = excluded.percent_below_minimum,
  percent_test_80 = excluded.percent_test_80, percent_test_100 = excluded.percent_test_100, journal_lowered = excluded.journal_lowered,
  journal_confirmed = excluded.journal_confirmed, journal_raised = excluded.journal_raised
where benchmark_result.source = 'computed'`;

/**
 * Region and municipality reference values of a year, computed from the hub's school results, for the
 * regions of the given schools. Published (imported) values are never overwritten. Bindings: year, ids.
 */
export const UPSERT_COMPUTED_BENCHMARKS = `
with regions as (select distinct region_id from school where id = any(?::int[]))
insert into benchmark_result (assessment_id, level, region_id, municipality_id, participants, percent2, percent3, percent4, percent5, mean_percent, mean_test_score,
  percent_below_minimum, percent_test_80, percent_test_100, source, journal_lowered, journal_confirmed, journal_raised)
select sr.assessment_id, 'REGION'::benchmark_level, s.region_id, null, ${BENCHMARK_VALUES}
from school_result sr join school s on s.id = sr.school_id
where sr.year = ? and s.region_id in (select region_id from regions)
group by sr.assessment_id, s.region_id
union all
select sr.assessment_id, 'MUNICIPALITY'::benchmark_level, s.region_id, s.municipality_id, ${BENCHMARK_VALUES}
from school_result sr join school s on s.id = sr.school_id
where sr.year = ? and s.region_id in (select region_id from regions)
group by sr.assessment_id, s.region_id, s.municipality_id
${BENCHMARK_CONFLICT}`;


/**
 * A region's or municipality's graduates and share with ≥ 220 over three subjects, from its schools' totals that
 * give both numbers (the import holds a count to its participants; the cap only keeps a hand-written row from
 * stopping the job on the table's check).
 */
const SUM3_220_SHARE = `100.0 * sum(count_sum3_220) / nullif(sum(participants), 0)`;
const EXAM_TOTAL_VALUES = `
  sum(participants)::int,
  case when ${SUM3_220_SHARE} > 100 then 100 else ${SUM3_220_SHARE} end,
  'computed'`;

/**
 * Region and municipality values of the exam totals of a year (ЕГЭ ≥ 220 over three subjects), computed from the
 * schools' totals (school_exam_total) for the regions of the given schools, as the assessments' reference values are:
 * over the schools that give both numbers (a reference is read as so many of so many participants); published
 * (imported) values are never overwritten, and a computed value with no such school left is removed.
 * Bindings: ids, year, year.
 */
export const UPSERT_COMPUTED_EXAM_TOTAL_BENCHMARKS = `
with regions as (select distinct region_id from school where id = any(?::int[])),
totals as (
  select t.year, t.procedure, s.region_id, s.municipality_id, t.participants, t.count_sum3_220
  from school_exam_total t join school s on s.id = t.school_id
  where t.year = ? and s.region_id in (select region_id from regions)
),
computed as (
  select year, procedure, 'REGION'::benchmark_level as level, region_id, null::int as municipality_id, ${EXAM_TOTAL_VALUES}
  from totals where participants is not null and count_sum3_220 is not null group by year, procedure, region_id
  union all
  select year, procedure, 'MUNICIPALITY'::benchmark_level, region_id, municipality_id, ${EXAM_TOTAL_VALUES}
  from totals where participants is not null and count_sum3_220 is not null group by year, procedure, region_id, municipality_id
),
stale as (
  delete from benchmark_exam_total b
  where b.source = 'computed' and b.year = ? and b.region_id in (select region_id from regions)
    and not exists (select 1 from computed c where c.procedure = b.procedure and c.level = b.level and c.region_id = b.region_id
                    and coalesce(c.municipality_id, 0) = coalesce(b.municipality_id, 0))
)
insert into benchmark_exam_total (year, procedure, level, region_id, municipality_id, participants, percent_sum3_220, source)
select * from computed
on conflict (year, procedure, level, coalesce(region_id, 0), coalesce(municipality_id, 0)) do update set
  participants = excluded.participants, percent_sum3_220 = excluded.percent_sum3_220, updated_at = now()
where benchmark_exam_total.source = 'computed'`;

/**
 * The region's baseline distributions beside its reference values: the summed primary-score histogram and the
 * participant-weighted completion of each task, per assessment of the year. Kept even where published values
 * were imported, because only the hub has the distributions. Bindings: ids (int[] literal), year.
 */
export const UPDATE_REGION_BASELINES = `
with regions as (select distinct region_id from school where id = any(?::int[])),
scoped as (
  select sr.assessment_id, s.region_id, sr.histogram, sr.task_completion, sr.participants
  from school_result sr join school s on s.id = sr.school_id
  where sr.year = ? and s.region_id in (select region_id from regions)
),
hist as (
  select assessment_id, region_id, h.ord, sum(h.n)::int as n
  from scoped cross join lateral unnest(histogram) with ordinality as h(n, ord)
  group by assessment_id, region_id, h.ord
),
hist_arr as (
  select assessment_id, region_id, array_agg(n order by ord) as histogram from hist group by assessment_id, region_id
),
task as (
  select assessment_id, region_id, t.ord, sum(t.c * participants) / nullif(sum(participants), 0) as completion
  from scoped cross join lateral unnest(task_completion) with ordinality as t(c, ord)
  group by assessment_id, region_id, t.ord
),
task_arr as (
  select assessment_id, region_id, array_agg(completion order by ord) as completion from task group by assessment_id, region_id
)
update benchmark_result b set histogram = h.histogram, task_completion = t.completion
from hist_arr h left join task_arr t on t.assessment_id = h.assessment_id and t.region_id = h.region_id
where b.level = 'REGION' and b.assessment_id = h.assessment_id and b.region_id = h.region_id`;
