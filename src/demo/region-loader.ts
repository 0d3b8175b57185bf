import { Client } from 'pg';
import { copyParticipantRows, type ParticipantRow } from '../assessments/participant-copy';
import { TASK_LEVEL_BY_LETTER } from '../assessments/enums';
import type { DemoRegion } from './';
import type { Logger } from '../shared/logger';

export interface LoadOutcome {
  loaded: boolean;
  schools: number;
  participants: number;
  /** Hub school id by generator school id: benchmarks and tests map planted anomalies with it. */
  schoolIds: Map<string, number>;
}

const SUBJECT_NAMES: Record<string, string> = { RUS: 'Русский язык', MATH: 'Математика', MATH_PROF: 'Математика (профильный уровень)' };

/**
 * Loads a generated region (the demo, or a large one for benchmarks) into PostgreSQL in one transaction:
 * all of it lands or none of it does. A region that already has schools is left as it is.
 * Per-school aggregates are not computed here: the caller runs AggregateService afterwards.
 */
export async function loadRegion(databaseUrl: string, region: DemoRegion, log: Logger): Promise<LoadOutcome> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await client.query<{ id: number; schools: string }>(
      `select r.id, (select count(*) from school s where s.region_id = r.id) as schools from region r where r.code = $1`,
      [region.region.code],
    );
    if (existing.rows[0] && Number(existing.rows[0].schools) > 0) {
      const ids = await schoolIdsByAlias(client, region);
      log.info({ region: region.region.code, schools: ids.size }, 'region already loaded; left as it is');
      return { loaded: false, schools: ids.size, participants: 0, schoolIds: ids };
    }
    await client.query('begin');
    const outcome = await insertRegion(client, region, log);
    await client.query('commit');
    return outcome;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function schoolIdsByAlias(client: Client, region: DemoRegion): Promise<Map<string, number>> {
  const logins = region.schools.map((s) => s.aliases.find((a) => a.kind === 'FISOKO_LOGIN')!.value);
  const { rows } = await client.query<{ value: string; school_id: number }>(
    `select value, school_id from school_alias where kind = 'FISOKO_LOGIN' and value = any($1::text[])`,
    [logins],
  );
  const byLogin = new Map(rows.map((r) => [r.value, r.school_id]));
  return new Map(region.schools.map((s, i) => [s.id, byLogin.get(logins[i])!]).filter(([, id]) => id !== undefined) as [string, number][]);
}

async function insertRegion(client: Client, region: DemoRegion, log: Logger): Promise<LoadOutcome> {
  const regionId = (
    await client.query<{ id: number }>(
      `insert into region (code, name) values ($1, $2) on conflict (code) do update set name = excluded.name returning id`,
      [region.region.code, region.region.name],
    )
  ).rows[0].id;

  const municipalityIds = new Map<string, number>();
  for (const m of region.municipalities) {
    const { rows } = await client.query<{ id: number }>(
      `insert into municipality (region_id, code, name) values ($1, $2, $3)
       on conflict (region_id, code) do update set name = excluded.name returning id`,
      [regionId, m.code, m.name],
    );
    municipalityIds.set(m.code, rows[0].id);
  }

  const schoolIds = new Map<string, number>();
  for (const s of region.schools) {
    const { rows } = await client.query<{ id: number }>(
      `insert into school (region_id, municipality_id, name, type, urban) values ($1, $2, $3, $4, $5) returning id`,
      [regionId, municipalityIds.get(s.municipalityCode), s.name, s.type, s.urban],
    );
    schoolIds.set(s.id, rows[0].id);
    for (const alias of s.aliases) {
      await client.query(`insert into school_alias (school_id, kind, value) values ($1, $2, $3)`, [rows[0].id, alias.kind, alias.value]);
    }
  }

  const typeBySchool = new Map(region.schools.map((s) => [s.id, s]));
  await client.query(
    `insert into school_context (school_id, year, type, urban, enrolment, classes, small_school, in_depth_study, share_disabled,
       teachers, vacancies, has_psychologist, has_defectologist, has_social_pedagogue, head_tenure_years, social_index, attributes)
     select x.school_id, x.year, x.type::school_type, x.urban, x.enrolment, x.classes, x.small_school, x.in_depth_study, x.share_disabled,
       x.teachers, x.vacancies, x.has_psychologist, x.has_defectologist, x.has_social_pedagogue, x.head_tenure_years, x.social_index, x.attributes
     from jsonb_to_recordset($1::jsonb) as x(school_id int, year int, type text, urban boolean, enrolment int, classes int,
       small_school boolean, in_depth_study boolean, share_disabled float8, teachers int, vacancies int, has_psychologist boolean,
       has_defectologist boolean, has_social_pedagogue boolean, head_tenure_years float8, social_index float8, attributes jsonb)`,
    [
      JSON.stringify(
        region.contexts.map((c) => ({
          school_id: schoolIds.get(c.schoolId), year: c.year, type: typeBySchool.get(c.schoolId)!.type, urban: typeBySchool.get(c.schoolId)!.urban,
          enrolment: c.enrolment, classes: c.classes, small_school: c.smallSchool, in_depth_study: c.inDepthStudy, share_disabled: c.shareDisabled,
          teachers: c.teachers, vacancies: c.vacancies, has_psychologist: c.hasPsychologist, has_defectologist: c.hasDefectologist,
          has_social_pedagogue: c.hasSocialPedagogue, head_tenure_years: c.headTenureYears, social_index: c.socialIndex, attributes: c.attributes,
        })),
      ),
    ],
  );

  const subjectIds = new Map<string, number>();
  for (const subject of region.subjects) {
    const { rows } = await client.query<{ id: number }>(
      `insert into subject (code, name) values ($1, $2) on conflict (code) do update set name = subject.name returning id`,
      [subject.code, SUBJECT_NAMES[subject.code] ?? subject.name],
    );
    subjectIds.set(subject.code, rows[0].id);
  }

  const assessmentIds = new Map<string, number>();
  const yearOfAssessment = new Map<string, number>();
  for (const a of region.assessments) {
    const scale = a.scale;
    const { rows } = await client.query<{ id: number }>(
      // The demo's scales are the national ones: written as confirmed, like an administrator's scales template.
      `insert into assessment (procedure, year, session, subject_id, grade, max_primary, mark_boundaries, minimum_test_score, test_scale, tasks,
         scale_confirmed_at, scale_confirmed_by)
       values ($1, $2, $3, $4, $5, $6, $7::int[], $8, $9::int[], $10::jsonb, now(), 'demo')
       on conflict (procedure, year, session, subject_id, grade) do update set max_primary = excluded.max_primary
       returning id`,
      [
        a.procedure, a.year, a.session, subjectIds.get(a.subjectCode), a.grade, scale.maxPrimary,
        a.procedure === 'EGE' ? null : [scale.boundaries[3], scale.boundaries[4], scale.boundaries[5]],
        scale.egeMinimum ?? null, scale.testScale ?? null,
        JSON.stringify(scale.tasks.map((t) => ({ number: t.number, level: TASK_LEVEL_BY_LETTER[t.level], maxPoints: t.maxPoints }))),
      ],
    );
    assessmentIds.set(a.key, rows[0].id);
    yearOfAssessment.set(a.key, a.year);
  }

  for (const year of region.years) await client.query('select ensure_participant_partition($1)', [year]);
  const started = Date.now();
  const participants = await copyParticipantRows(client, participantRows(region, schoolIds, assessmentIds, yearOfAssessment));
  log.info({ participants, ms: Date.now() - started }, 'participant results copied');

  await client.query(
    `insert into conduct_conditions (school_id, year, procedure, observers, video_at_conduct, video_at_checking, collegial_checking, federal_control_sample)
     select x.school_id, x.year, x.procedure::procedure, x.observers::observer_presence, x.video_at_conduct, x.video_at_checking, x.collegial_checking, x.federal_control_sample
     from jsonb_to_recordset($1::jsonb) as x(school_id int, year int, procedure text, observers text, video_at_conduct boolean,
       video_at_checking boolean, collegial_checking boolean, federal_control_sample boolean)`,
    [
      JSON.stringify(
        region.conductConditions.map((c) => ({
          school_id: schoolIds.get(c.schoolId), year: c.year, procedure: c.procedure, observers: c.observers, video_at_conduct: c.videoAtConduct,
          video_at_checking: c.videoAtChecking, collegial_checking: c.collegialChecking, federal_control_sample: c.federalControlSample,
        })),
      ),
    ],
  );

  await client.query(
    `insert into recheck_result (school_id, assessment_id, participant_code, original_score, recheck_score, original_mark, recheck_mark, commission)
     select x.school_id, x.assessment_id, x.participant_code, x.original_score, x.recheck_score, x.original_mark, x.recheck_mark, x.commission::recheck_commission
     from jsonb_to_recordset($1::jsonb) as x(school_id int, assessment_id int, participant_code text, original_score int, recheck_score int,
       original_mark int, recheck_mark int, commission text)`,
    [
      JSON.stringify(
        region.rechecks.map((r) => ({
          school_id: schoolIds.get(r.schoolId), assessment_id: assessmentIds.get(r.assessmentKey), participant_code: r.participantCode,
          original_score: r.originalScore, recheck_score: r.recheckScore, original_mark: r.originalMark, recheck_mark: r.recheckMark, commission: r.commission,
        })),
      ),
    ],
  );

  // Russia's values are published, not computable here; region and municipality values the hub computes itself.
  const russia = region.benchmarks.filter((b) => b.level === 'RUSSIA');
  await client.query(
    `insert into benchmark_result (assessment_id, level, participants, percent2, percent3, percent4, percent5, mean_percent, mean_test_score, source)
     select x.assessment_id, 'RUSSIA', x.participants, x.p2, x.p3, x.p4, x.p5, x.mean_percent, x.mean_test_score, 'imported'
     from jsonb_to_recordset($1::jsonb) as x(assessment_id int, participants int, p2 float8, p3 float8, p4 float8, p5 float8, mean_percent float8, mean_test_score float8)`,
    [
      JSON.stringify(
        russia.map((b) => ({
          assessment_id: assessmentIds.get(b.assessmentKey), participants: b.participants,
          p2: b.markShares ? 100 * b.markShares[2] : null, p3: b.markShares ? 100 * b.markShares[3] : null,
          p4: b.markShares ? 100 * b.markShares[4] : null, p5: b.markShares ? 100 * b.markShares[5] : null,
          mean_percent: b.meanPercentOfMax, mean_test_score: b.meanTestScore,
        })),
      ),
    ],
  );
  return { loaded: true, schools: schoolIds.size, participants, schoolIds };
}

function* participantRows(
  region: DemoRegion,
  schoolIds: Map<string, number>,
  assessmentIds: Map<string, number>,
  yearOfAssessment: Map<string, number>,
): Generator<ParticipantRow> {
  for (const p of region.participantResults()) {
    yield {
      year: yearOfAssessment.get(p.assessmentKey)!,
      assessmentId: assessmentIds.get(p.assessmentKey)!,
      schoolId: schoolIds.get(p.schoolId)!,
      participantCode: p.participantCode,
      classLabel: p.classLabel,
      variant: String(p.variant),
      taskScores: p.taskScores,
      primaryScore: p.primaryScore,
      mark: p.mark,
      journalMark: p.journalMark,
      testScore: p.testScore,
      criteria: p.criteria ?? null,
    };
  }
}
