import type { Knex } from '@mikro-orm/postgresql';
import type { Measure } from '../catalogue/measure';
import type { RecommendationRule } from '../rules/rule';

/** The catalogue and rules in force, as stored (administrators extend them through the API). */
export async function loadCatalogue(knex: Knex, includeInactive = false): Promise<Measure[]> {
  const { rows } = await knex.raw(`select * from measure_catalogue ${includeInactive ? '' : 'where active'} order by section, code`);
  return rows.map(
    (r: any): Measure => ({
      code: r.code,
      section: r.section,
      titleRu: r.title_ru,
      descriptionRu: r.description_ru,
      level: r.level,
      responsible: r.responsible,
      timing: r.timing,
      expectedResultRu: r.expected_result_ru,
      evidence: r.evidence,
      sources: r.sources,
      namedInMunicipalPlan: r.named_in_municipal_plan,
    }),
  );
}

/** A measure added through the API (administrators); validated by the caller. */
export async function insertCatalogueMeasure(knex: Knex, measure: Measure, createdBy: string): Promise<void> {
  await knex.raw(
    `insert into measure_catalogue (code, section, title_ru, description_ru, level, responsible, timing, expected_result_ru, evidence, created_by)
     values (?, ?, ?, ?, ?, ?::text[], ?::jsonb, ?, ?::text[], ?)`,
    [measure.code, measure.section, measure.titleRu, measure.descriptionRu, measure.level, measure.responsible, JSON.stringify(measure.timing), measure.expectedResultRu, measure.evidence, createdBy],
  );
}

export async function loadRules(knex: Knex, includeInactive = false): Promise<(RecommendationRule & { version: number })[]> {
  const { rows } = await knex.raw(`select * from recommendation_rule ${includeInactive ? '' : 'where active'} order by priority, code`);
  return rows.map((r: any) => ({ code: r.code, version: r.version, descriptionRu: r.description_ru, when: r.condition, measures: r.measures, priority: r.priority }));
}
