import { Migration } from '@mikro-orm/migrations';

/**
 * Recommendation rule UNEXPLAINED_CHANGE_ANALYSIS, version 2: «комплексный анализ результатов и возможных причин»
 * only for a school in the objectivity zone (WATCH or above). Results above the region's or Russia's
 * (ABOVE_BENCHMARK) are context under methodology v2 and never a reason by themselves, yet version 1 of the rule gave
 * the measure to every strong school for them. The values are written out here, as they were on this day.
 */
const V1 = {
  description: 'Резкое изменение результатов или результаты выше региона/России: комплексный анализ результатов и возможных причин в ОО.',
  condition: { anyMarkers: ['SHARP_CHANGE', 'ABOVE_BENCHMARK'] },
};
const V2 = {
  description: 'Школа в зоне наблюдения или риска по объективности, результаты резко изменились или выше региона/России: комплексный анализ результатов и возможных причин в ОО.',
  condition: { anyMarkers: ['SHARP_CHANGE', 'ABOVE_BENCHMARK'], zone: { kind: 'OBJECTIVITY', atLeast: 'WATCH' } },
};

const set = (rule: typeof V1, version: number) =>
  `update recommendation_rule set description_ru = '${rule.description}', condition = '${JSON.stringify(rule.condition)}'::jsonb, version = ${version}
   where code = 'UNEXPLAINED_CHANGE_ANALYSIS';`;

export class Migration20261222000100_context_markers_bring_no_measure extends Migration {
  async up(): Promise<void> {
    this.addSql(set(V2, 2));
  }

  async down(): Promise<void> {
    this.addSql(set(V1, 1));
  }
}
