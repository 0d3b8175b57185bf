/**
 * Provisional scales and their confirmation. A scale that arrives with a regional centre's file before the
 * assessment has a confirmed one stays that region's (see scale.ts); administrators see where regions disagree
 * and confirm one, which becomes the national scale and replaces every provisional one of the assessment.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { JobTicket } from '../jobs/job-gateway';
import { AuditService } from '../auth/audit.service';
import type { RequestContext } from '../graphql/context';
import { hubError } from '../graphql/errors';
import { aggregatesThenRisk } from '../jobs/recompute-chain';
import { Region } from '../territory/region.entity';
import { Assessment, type AssessmentTask } from './assessment.entity';
import type { ProvisionalScales, ScaleConfirmation } from './provisional-scale.types';
import { describeScale, hasScaleValues, provisionalScaleOf, type ProvisionalScaleRow as ProvisionalRow, type ScaleValues } from './scale';

const valuesOf = (row: ProvisionalRow): ScaleValues => ({
  maxPrimary: row.max_primary,
  markBoundaries: row.mark_boundaries,
  minimumTestScore: row.minimum_test_score,
  testScale: row.test_scale,
  tasks: row.tasks,
});

/** Two scales agree when every part is the same (tasks with their numbers, levels and maxima, in order). */
const signature = (row: ProvisionalRow): string => JSON.stringify([row.max_primary, row.mark_boundaries, row.minimum_test_score, row.test_scale, row.tasks]);

/**
 * Participant rows the scale cannot have produced: a primary score above its maximum, another number of tasks, or
 * a task score above the task's maximum. Bindings: max, tasks (jsonb), year, assessment id.
 */
const ROWS_NOT_FITTING = `
select s.region_id, count(*)::int as n
from participant_result pr join school s on s.id = pr.school_id
cross join (select ?::int as max_primary, ?::jsonb as tasks) sc
where pr.year = ? and pr.assessment_id = ?
  and (pr.primary_score > sc.max_primary
       or (jsonb_array_length(sc.tasks) > 0 and pr.task_scores is not null and (
             cardinality(pr.task_scores) <> jsonb_array_length(sc.tasks)
             or exists (select 1 from unnest(pr.task_scores) with ordinality t(score, i) where t.score > (sc.tasks -> (t.i::int - 1) ->> 'maxPoints')::int))))
group by s.region_id`;

export class ProvisionalScaleService {
  constructor(private readonly ctx: RequestContext) {}

  private get knex(): Knex {
    return this.ctx.em.getKnex();
  }

  /** Assessments without a confirmed scale that regions gave provisional ones, with whether those disagree. */
  async list(filter: { assessmentId: number | null; onlyDisagreeing: boolean }): Promise<ProvisionalScales[]> {
    const { rows } = await this.knex.raw(
      // Participant rows are keyed by school first: they are counted in one grouped pass, not walked per scale.
      `with listed as (
         select p.*, a.year, a.procedure, a.grade from provisional_scale p
         join applicable_scale sc on sc.assessment_id = p.assessment_id and sc.region_id = p.region_id and sc.status = 'PROVISIONAL'
         join assessment a on a.id = p.assessment_id
         ${filter.assessmentId === null ? '' : 'where p.assessment_id = ?'}),
       counted as (
         select pr.assessment_id, s.region_id, count(*)::int as n from participant_result pr join school s on s.id = pr.school_id
         where (pr.year, pr.assessment_id) in (select year, assessment_id from listed)
         group by pr.assessment_id, s.region_id)
       select l.*, coalesce(c.n, 0) as participant_rows from listed l
       left join counted c on c.assessment_id = l.assessment_id and c.region_id = l.region_id
       order by l.year desc, l.procedure, l.grade, l.assessment_id, l.region_id`,
      filter.assessmentId === null ? [] : [filter.assessmentId],
    );
    const scales = rows as (ProvisionalRow & { participant_rows: number })[];
    if (scales.length === 0) return [];
    const [assessments, regions] = await Promise.all([
      this.ctx.em.find(Assessment, { id: { $in: [...new Set(scales.map((row) => row.assessment_id))] } }),
      this.ctx.em.find(Region, { id: { $in: [...new Set(scales.map((row) => row.region_id))] } }),
    ]);
    const assessmentById = new Map(assessments.map((a) => [a.id, a]));
    const regionById = new Map(regions.map((r) => [r.id, r]));
    const groups = new Map<number, ProvisionalScales>();
    const signatures = new Map<number, Set<string>>();
    for (const row of scales) {
      let group = groups.get(row.assessment_id);
      if (!group) {
        group = { assessment: assessmentById.get(row.assessment_id)!, disagree: false, scales: [] };
        groups.set(row.assessment_id, group);
        signatures.set(row.assessment_id, new Set());
      }
      signatures.get(row.assessment_id)!.add(signature(row));
      group.disagree = signatures.get(row.assessment_id)!.size > 1;
      group.scales.push({
        region: regionById.get(row.region_id)!,
        scale: provisionalScaleOf(row),
        summaryRu: describeScale(valuesOf(row)),
        createdAt: new Date(row.created_at),
        createdBy: row.created_by,
        importBatchId: row.import_batch_id === null ? null : String(row.import_batch_id),
        participantRows: row.participant_rows,
      });
    }
    return [...groups.values()].filter((group) => !filter.onlyDisagreeing || group.disagree);
  }

  /**
   * Makes a region's provisional scale the assessment's national one: it then judges every region's files and
   * results, the provisional scales of the assessment go, and results of every school that has some are
   * recomputed (marks, % of maximum and task analyses follow the scale). Rows loaded under a scale that
   * disagrees are counted per region, for those regions to load again.
   */
  async confirm(assessmentId: number, regionId: number): Promise<ScaleConfirmation> {
    const { principal, jobs } = this.ctx;
    const outcome = await this.knex.transaction(async (trx) => {
      const { rows: found } = await trx.raw(`select id, year, max_primary, mark_boundaries, minimum_test_score, tasks from assessment where id = ? for update`, [assessmentId]);
      const assessment = found[0] as { id: number; year: number; max_primary: number | null; mark_boundaries: number[] | null; minimum_test_score: number | null; tasks: AssessmentTask[] } | undefined;
      if (!assessment) throw hubError('NOT_FOUND', `Процедура ${assessmentId} не найдена`);
      const national = { maxPrimary: assessment.max_primary, markBoundaries: assessment.mark_boundaries, minimumTestScore: assessment.minimum_test_score, tasks: assessment.tasks ?? [] };
      if (hasScaleValues(national)) {
        throw hubError('CONFLICT', 'Шкала этой процедуры уже подтверждена; изменить её можно загрузкой шаблона шкал (assessment-scales) администратором');
      }
      const { rows: provisional } = await trx.raw(`select * from provisional_scale where assessment_id = ? order by region_id for update`, [assessmentId]);
      const all = provisional as ProvisionalRow[];
      const chosen = all.find((row) => row.region_id === regionId);
      if (!chosen) throw hubError('NOT_FOUND', 'У этого региона нет предварительной шкалы этой процедуры');
      await trx.raw(
        `update assessment set max_primary = ?, mark_boundaries = ?::int[], minimum_test_score = ?, test_scale = ?::int[], tasks = ?::jsonb,
           scale_confirmed_at = now(), scale_confirmed_by = ? where id = ?`,
        [chosen.max_primary, chosen.mark_boundaries, chosen.minimum_test_score, chosen.test_scale, JSON.stringify(chosen.tasks), principal.actor, assessmentId],
      );
      await trx.raw(`delete from provisional_scale where assessment_id = ?`, [assessmentId]);
      const { rows: notFitting } = await trx.raw(ROWS_NOT_FITTING, [chosen.max_primary, JSON.stringify(chosen.tasks), assessment.year, assessmentId]);
      const { rows: schools } = await trx.raw(
        `select distinct school_id from participant_result where year = ? and assessment_id = ?
         union select school_id from school_result where assessment_id = ?`,
        [assessment.year, assessmentId, assessmentId],
      );
      const tickets: JobTicket[] = [];
      const requests = aggregatesThenRisk((schools as { school_id: number }[]).map((row) => row.school_id), [assessment.year], `scale of assessment ${assessmentId} confirmed`);
      for (const request of requests) tickets.push(await jobs.record({ ...request, requestedBy: principal.actor }, trx));
      return {
        chosen,
        replaced: all.filter((row) => signature(row) !== signature(chosen)).map((row) => row.region_id),
        notFitting: notFitting as { region_id: number; n: number }[],
        tickets,
      };
    });
    await jobs.dispatch(outcome.tickets);

    const em = this.ctx.em;
    const regionIds = [regionId, ...outcome.replaced, ...outcome.notFitting.map((row) => row.region_id)];
    const regions = new Map((await em.find(Region, { id: { $in: regionIds } })).map((r) => [r.id, r]));
    const assessment = (await em.findOne(Assessment, { id: assessmentId }, { refresh: true }))!;
    await new AuditService(em, principal, this.ctx.remoteAddress).record({
      action: 'assessmentScale.confirm',
      target: `assessment:${assessmentId}`,
      details: {
        region: regions.get(regionId)?.code ?? regionId,
        scale: valuesOf(outcome.chosen),
        replacedRegions: outcome.replaced.map((id) => regions.get(id)?.code ?? id),
        rowsNotFitting: Object.fromEntries(outcome.notFitting.map((row) => [regions.get(row.region_id)?.code ?? row.region_id, row.n])),
        recomputeJobs: outcome.tickets.map((ticket) => ticket.id),
      },
    });
    return {
      assessment,
      scale: { ...provisionalScaleOf(outcome.chosen), confirmed: true, confirmedAt: assessment.scaleConfirmedAt },
      replacedRegions: outcome.replaced.map((id) => regions.get(id)!),
      rowsNotFitting: outcome.notFitting.map((row) => ({ region: regions.get(row.region_id)!, rows: row.n })),
      recomputeJobs: outcome.tickets,
    };
  }
}
