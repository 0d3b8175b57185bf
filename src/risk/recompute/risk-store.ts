import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chunk, copyText, intArrayLiteral } from '../../shared/sql';
import { METHODOLOGY_VERSION } from '../methodology/version';
import type { Evaluation, ZoneOutcome } from './evaluate-region';

const ZONE_ROWS_PER_STATEMENT = 2000;
/** Indicator rows per chunk handed to COPY (one string each; large enough to keep the stream cheap). */
const COPY_ROWS_PER_CHUNK = 500;

const INDICATOR_COLUMNS = [
  'school_id', 'year', 'assessment_id', 'check_code', 'indicator', 'status', 'marker', 'value', 'p_value', 'q_value',
  'warnings', 'explanation_ru', 'evidence', 'methodology_version', 'config_id',
] as const;

/**
 * Replaces the stored indicator values and zones of the recomputed schools × years in one transaction:
 * readers see the old set or the new one, never a mix, and a failure leaves the previous results in place.
 * Indicator values (a region has a quarter of a million, each with its evidence) go through COPY on the
 * transaction's own connection; zones, a few thousand, through one INSERT per chunk.
 */
export async function storeRiskResults(trx: Knex, schoolIds: number[], years: number[], evaluations: Evaluation[], zones: ZoneOutcome[], configId: number | null): Promise<void> {
  const ids = intArrayLiteral(schoolIds);
  const yearList = intArrayLiteral(years);
  // A region's COPY can take longer than the API's statement timeout; the recompute is bounded by its job instead.
  // The values are derived data: a crash in the instant after commit may lose this recompute (the previous
  // results stay, whole), which the next run redoes — no reason to make every recompute wait for the WAL flush.
  // One round trip for the settings and both deletes: the id lists are checked integer literals, so they are
  // written into the text (a statement with parameters cannot carry several commands).
  await trx.raw(
    `set local statement_timeout = 0; set local synchronous_commit = off;
     delete from risk_indicator_value where school_id = any('${ids}'::int[]) and year = any('${yearList}'::int[]);
     delete from risk_zone where school_id = any('${ids}'::int[]) and year = any('${yearList}'::int[]);`,
  );
  if (evaluations.length > 0) {
    const client = (await (trx as unknown as { client: { acquireConnection(): Promise<unknown> } }).client.acquireConnection()) as ClientBase;
    const stream = client.query(copyFrom(`copy risk_indicator_value (${INDICATOR_COLUMNS.join(', ')}) from stdin`));
    await pipeline(Readable.from(copyChunks(evaluations, configId)), stream);
  }
  for (const part of chunk(zones, ZONE_ROWS_PER_STATEMENT)) {
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

function* copyChunks(evaluations: readonly Evaluation[], configId: number | null): Generator<string> {
  let lines: string[] = [];
  for (const e of evaluations) {
    lines.push(copyLine(e, configId));
    if (lines.length >= COPY_ROWS_PER_CHUNK) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('');
}

/** One row in COPY text format: tab-separated, \N for NULL, backslash and control characters escaped. */
function copyLine(e: Evaluation, configId: number | null): string {
  return [
    e.schoolId,
    e.year,
    e.assessmentId ?? NULL,
    copyText(e.check),
    copyText(e.result.indicator),
    copyText(e.result.status),
    e.result.marker === null ? NULL : copyText(e.result.marker),
    finite(e.result.value),
    finite(e.result.pValue),
    finite(e.qValue),
    copyText(JSON.stringify(e.result.warnings)),
    copyText(e.result.explanationRu),
    copyText(JSON.stringify(e.result.evidence)),
    METHODOLOGY_VERSION,
    configId ?? NULL,
  ].join('\t') + '\n';
}

const NULL = '\\N';

const finite = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? NULL : String(value));
