import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import { recommendMunicipalMeasures } from '../rules/municipal-plan';
import { recommendMeasures } from '../rules/recommend';
import { loadCatalogue, loadRules } from './catalogue.repository';
import { planId, syncPlan, type DesiredMeasure, type SyncOutcome } from './plan-sync';
import { loadRiskProfiles } from './risk-profile.loader';

export interface PlanScope {
  schoolIds: number[] | null;
  years: number[] | null;
}

export interface PlanOutcome {
  schoolPlans: number;
  municipalPlans: number;
  measures: SyncOutcome;
}

/**
 * Recommendations → plans: for every school × year with zones, the rules' measures are synced into the
 * school's plan; every affected municipality's road map is rebuilt from all its schools' profiles.
 */
export class PlanRecomputeService {
  constructor(private readonly em: EntityManager) {}

  async recompute(scope: PlanScope, onProgress: (done: number, total: number) => Promise<void> | void = () => undefined): Promise<PlanOutcome> {
    const knex = this.em.getKnex();
    const [catalogue, rules] = await Promise.all([loadCatalogue(knex), loadRules(knex)]);
    const schoolIds = scope.schoolIds ?? (await knex.raw(`select distinct school_id from risk_zone`)).rows.map((r: any) => r.school_id);
    const years = scope.years ?? (await knex.raw(`select distinct year from risk_zone order by year`)).rows.map((r: any) => r.year);
    const outcome: PlanOutcome = { schoolPlans: 0, municipalPlans: 0, measures: { added: 0, updated: 0, retired: 0, removed: 0 } };
    if (schoolIds.length === 0 || years.length === 0) return outcome;
    const add = (o: SyncOutcome) => {
      outcome.measures.added += o.added;
      outcome.measures.updated += o.updated;
      outcome.measures.retired += o.retired;
      outcome.measures.removed += o.removed;
    };

    const profiles = await loadRiskProfiles(knex, schoolIds, years);
    let done = 0;
    for (const profile of profiles) {
      const desired = recommendMeasures(profile, rules, catalogue)
        .filter((m) => m.level === 'SCHOOL')
        .map(
          (m): DesiredMeasure => ({
            measureCode: m.measureCode, section: m.section, titleRu: m.titleRu, responsible: m.responsible, dueDate: m.dueDate,
            expectedResultRu: catalogue.find((c) => c.code === m.measureCode)?.expectedResultRu ?? '', priority: m.priority,
            ruleCodes: m.ruleCodes, reasons: m.reasons, reasonRu: m.reasonRu, schools: null,
          }),
        );
      await knex.transaction(async (trx) => add(await syncPlan(trx, await planId(trx, { schoolId: Number(profile.schoolId) }, profile.year), desired)));
      outcome.schoolPlans++;
      if (++done % 50 === 0) await onProgress(done, profiles.length);
    }

    // Municipal road maps are built from every school of the municipality, not only the recomputed ones.
    const { rows: municipalities } = await knex.raw(`select distinct municipality_id from school where id = any(?::int[])`, [intArrayLiteral(schoolIds)]);
    for (const { municipality_id: municipalityId } of municipalities) {
      const { rows } = await knex.raw(`select id from school where municipality_id = ?`, [municipalityId]);
      const all = await loadRiskProfiles(knex, rows.map((r: any) => r.id), years);
      for (const year of years) {
        const entries = recommendMunicipalMeasures(all.filter((p) => p.year === year), rules, catalogue);
        const desired = entries.map(
          (e): DesiredMeasure => ({
            measureCode: e.measureCode, section: e.section, titleRu: e.titleRu, responsible: e.responsible, dueDate: e.dueDate,
            expectedResultRu: catalogue.find((c) => c.code === e.measureCode)?.expectedResultRu ?? '', priority: e.priority,
            ruleCodes: [...new Set(e.schools.flatMap((s) => s.ruleCodes))], reasons: [], reasonRu: e.textRu,
            schools: e.schools.map((s) => ({ schoolId: Number(s.schoolId), reasonRu: s.reasonRu, ruleCodes: s.ruleCodes })),
          }),
        );
        await knex.transaction(async (trx) => add(await syncPlan(trx, await planId(trx, { municipalityId }, year), desired)));
        outcome.municipalPlans++;
      }
    }
    await onProgress(profiles.length, profiles.length);
    return outcome;
  }
}
