import type { Knex } from '@mikro-orm/postgresql';
import { chunk, intArrayLiteral } from '../../shared/sql';
import { METHODOLOGY_VERSION } from '../methodology/version';
import type { Evaluation, ZoneOutcome } from './evaluate-region';

const ROWS_PER_STATEMENT = 2000;

/**
 * Replaces the stored indicator values and zones of the recomputed schools × years in one transaction:
 * readers see the old set or the new one, never a mix, and a failure leaves the previous results in place.
 */
export async function storeRiskResults(trx: Knex, schoolIds: number[], years: number[], evaluations: Evaluation[], zones: ZoneOutcome[], configId: number | null): Promise<void> {
  const ids = intArrayLiteral(schoolIds);
  const yearList = intArrayLiteral(years);
  await trx.raw(`delete from risk_indicator_value where school_id = any(?::int[]) and year = any(?::int[])`, [ids, yearList]);
  await trx.raw(`delete from risk_zone where school_id = any(?::int[]) and year = any(?::int[])`, [ids, yearList]);
  for (const part of chunk(evaluations, ROWS_PER_STATEMENT)) {
    await trx.raw(
      `insert into risk_indicator_value (school_id, year, assessment_id, check_code, indicator, status, marker, value, p_value, q_value, warnings, explanation_ru, evidence, methodology_version, config_id)
       select x.school_id, x.year, x.assessment_id, x.check_code, x.indicator, x.status, x.marker, x.value, x.p_value, x.q_value, x.warnings, x.explanation_ru, x.evidence, ?, ?
       from jsonb_to_recordset(?::jsonb) as x(school_id int, year int, assessment_id int, check_code text, indicator text, status text, marker text,
         value float8, p_value float8, q_value float8, warnings jsonb, explanation_ru text, evidence jsonb)`,
      [
        METHODOLOGY_VERSION,
        configId,
        JSON.stringify(
          part.map((e) => ({
            school_id: e.schoolId, year: e.year, assessment_id: e.assessmentId, check_code: e.check, indicator: e.result.indicator, status: e.result.status,
            marker: e.result.marker, value: finite(e.result.value), p_value: finite(e.result.pValue), q_value: finite(e.qValue), warnings: e.result.warnings,
            explanation_ru: e.result.explanationRu, evidence: e.result.evidence,
          })),
        ),
      ],
    );
  }
  for (const part of chunk(zones, ROWS_PER_STATEMENT)) {
    await trx.raw(
      `insert into risk_zone (school_id, year, objectivity, low_results, objectivity_markers, low_results_markers, objectivity_years, low_results_years, priority, explanation_ru, details, methodology_version, config_id)
       select x.school_id, x.year, x.objectivity::zone_level, x.low_results::zone_level, x.objectivity_markers, x.low_results_markers, x.objectivity_years, x.low_results_years, x.priority, x.explanation_ru, x.details, ?, ?
       from jsonb_to_recordset(?::jsonb) as x(school_id int, year int, objectivity text, low_results text, objectivity_markers int, low_results_markers int,
         objectivity_years int, low_results_years int, priority text, explanation_ru text, details jsonb)`,
      [
        METHODOLOGY_VERSION,
        configId,
        JSON.stringify(
          part.map(({ schoolId, year, zones: z }) => ({
            school_id: schoolId, year, objectivity: z.objectivity.level, low_results: z.lowResults.level, objectivity_markers: z.objectivity.markerCount,
            low_results_markers: z.lowResults.markerCount, objectivity_years: z.objectivity.consecutiveFlaggedYears, low_results_years: z.lowResults.consecutiveFlaggedYears,
            priority: z.priority, explanation_ru: z.explanationRu, details: z,
          })),
        ),
      ],
    );
  }
}

const finite = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? null : value);
