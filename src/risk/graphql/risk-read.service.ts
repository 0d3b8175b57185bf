import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { schoolScopeFragment } from '../../auth/scope';
import { badInput } from '../../graphql/errors';
import { intArrayLiteral, type SqlBinding } from '../../shared/sql';
import type { SchoolZones } from '../indicators/zones';
import type { RiskIndicatorValueType, RiskRankingFilter, RiskZoneType } from './risk.types';

/** Maps a risk_zone row (details = the pure SchoolZones) to the API type. */
function zoneFromRow(row: any): RiskZoneType {
  const details = row.details as SchoolZones;
  return {
    schoolId: row.school_id,
    year: row.year,
    objectivity: row.objectivity,
    lowResults: row.low_results,
    objectivityDetail: { ...details.objectivity, evidence: (details.objectivity as { evidence?: Record<string, unknown> | null }).evidence ?? null },
    lowResultsDetail: { ...details.lowResults, evidence: null },
    priority: row.priority,
    priorityReasonsRu: details.priorityReasonsRu ?? [],
    explanationRu: row.explanation_ru,
    methodologyVersion: row.methodology_version,
    configId: row.config_id,
    computedAt: new Date(row.computed_at),
  } as RiskZoneType;
}

function indicatorFromRow(row: any): RiskIndicatorValueType {
  return {
    id: String(row.id),
    schoolId: row.school_id,
    assessmentId: row.assessment_id,
    year: row.year,
    check: row.check_code,
    indicator: row.indicator,
    status: row.status,
    value: row.value,
    pValue: row.p_value,
    qValue: row.q_value,
    warnings: row.warnings ?? [],
    explanationRu: row.explanation_ru,
    evidence: row.evidence,
    methodologyVersion: row.methodology_version,
  } as RiskIndicatorValueType;
}

const OFFSET_PREFIX = 'rank:';

/** Reads zones and indicator values; the ranking applies the principal's scope in its SQL. */
export class RiskReadService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async zonesBySchool(schoolIds: readonly number[]): Promise<RiskZoneType[]> {
    const { rows } = await this.em.getKnex().raw(`select * from risk_zone where school_id = any(?::int[]) order by year`, [intArrayLiteral(schoolIds)]);
    return rows.map(zoneFromRow);
  }

  async indicatorsBySchool(schoolIds: readonly number[], years: number[] | null, flaggedOnly: boolean): Promise<RiskIndicatorValueType[]> {
    const { rows } = await this.em.getKnex().raw(
      `select * from risk_indicator_value where school_id = any(?::int[]) ${years ? 'and year = any(?::int[])' : ''} ${flaggedOnly ? `and status = 'FLAGGED'` : ''}
       order by year, (status = 'FLAGGED') desc, check_code, assessment_id nulls first`,
      years ? [intArrayLiteral(schoolIds), intArrayLiteral(years)] : [intArrayLiteral(schoolIds)],
    );
    return rows.map(indicatorFromRow);
  }

  /** Schools ordered by the severity of their zones: the worst first, persistent ones before new ones. */
  async ranking(filter: RiskRankingFilter, first: number, after: string | null | undefined): Promise<{ rows: { rank: number; zone: RiskZoneType }[]; hasNextPage: boolean; total: number }> {
    const offset = decodeOffset(after);
    const scope = schoolScopeFragment(this.principal, 's');
    const conditions = ['z.year = ?', scope.sql];
    const bindings: SqlBinding[] = [filter.year, ...scope.bindings];
    if (filter.municipalityCodes?.length) {
      conditions.push(`m.code in (${filter.municipalityCodes.map(() => '?').join(',')})`);
      bindings.push(...filter.municipalityCodes);
    }
    if (filter.types?.length) {
      conditions.push(`s.type::text in (${filter.types.map(() => '?').join(',')})`);
      bindings.push(...filter.types);
    }
    if (filter.minObjectivity) {
      conditions.push(`z.objectivity >= ?::zone_level`);
      bindings.push(filter.minObjectivity);
    }
    if (filter.minLowResults) {
      conditions.push(`z.low_results >= ?::zone_level`);
      bindings.push(filter.minLowResults);
    }
    if (filter.marker) {
      conditions.push(`exists (select 1 from risk_indicator_value v where v.school_id = z.school_id and v.year = z.year and v.check_code = ? and v.status = 'FLAGGED')`);
      bindings.push(filter.marker);
    }
    const from = `from risk_zone z join school s on s.id = z.school_id join municipality m on m.id = s.municipality_id where ${conditions.join(' and ')}`;
    const knex = this.em.getKnex();
    const [{ rows }, { rows: counted }] = await Promise.all([
      knex.raw(
        `select z.* ${from}
         order by greatest(z.objectivity, z.low_results) desc, z.objectivity desc, z.objectivity_years + z.low_results_years desc,
                  z.objectivity_markers + z.low_results_markers desc, (z.priority = 'ELEVATED') desc, z.school_id
         limit ? offset ?`,
        [...bindings, first + 1, offset],
      ),
      knex.raw(`select count(*)::int as n ${from}`, bindings),
    ]);
    return {
      rows: rows.slice(0, first).map((row: any, i: number) => ({ rank: offset + i + 1, zone: zoneFromRow(row) })),
      hasNextPage: rows.length > first,
      total: counted[0].n,
    };
  }
}

export const encodeOffset = (offset: number) => Buffer.from(`${OFFSET_PREFIX}${offset}`).toString('base64url');

function decodeOffset(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = Number(text.slice(OFFSET_PREFIX.length));
  if (!text.startsWith(OFFSET_PREFIX) || !Number.isSafeInteger(offset) || offset < 0) throw badInput(`Неверный курсор "${cursor}"`, 'after');
  return offset;
}
