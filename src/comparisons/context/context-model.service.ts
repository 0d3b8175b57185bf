import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import { badInput } from '../../graphql/errors';
import { fitContextModel, type ContextVariable as StatsContextVariable } from '../stats';
import { findAssessmentId, type AssessmentKeyInput } from '../shared/assessment-key';
import { regionScopeFragment, schoolScopeFragment } from '../../auth/scope';
import { selectRows, sqlFragment } from '../../shared/sql';
import type { ComparisonLoaders } from '../comparison.loaders';
import { ContextVariable, ContextWeighting } from './context.enums';
import type { ContextModelType, SchoolExpectationType } from './context-model.types';
import { toContextModel } from './context-model.mapping';
import { toContextInput } from './context-rows.sql';

export interface ModelOptions {
  weighting: ContextWeighting;
  exclude: readonly ContextVariable[];
}

/**
 * The region-wide context model of one assessment. Its input rows are read under the region statistics
 * scope (the principal's own region); the fit's per-school expectations leave this service only through
 * `visibleExpectations`, which asks the database which schools the principal may see.
 */
export class ContextModelService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly loaders: ComparisonLoaders,
  ) {}

  async fit(regionId: number, assessmentId: number, year: number, options: ModelOptions): Promise<ContextModelType> {
    const rows = await this.loaders.regionContextRows.load({ regionId, assessmentId, year });
    const result = fitContextModel(
      rows.map((row) => ({ ...toContextInput(row), result: row.mean_percent, participants: row.participants ?? 0 })),
      { weighting: options.weighting, exclude: options.exclude as StatsContextVariable[] },
    );
    return toContextModel(result, { regionId, assessmentId, year, weighting: options.weighting }, rows.length);
  }

  /** The region (by code, within the principal's region scope); a non-admin may omit it: its own region. */
  async regionId(regionCode: string | null | undefined): Promise<number> {
    if (!regionCode) {
      if (this.principal.role === Role.ADMIN) throw badInput('Укажите regionCode: модель строится по ОО одного региона', 'regionCode');
      return this.principal.regionId!;
    }
    const scope = regionScopeFragment(this.principal, 'r');
    const rows = await selectRows<{ id: number }>(this.em, sqlFragment(`select r.id from region r where r.code = ? and (${scope.sql})`, [regionCode, ...scope.bindings]));
    if (rows.length === 0) throw badInput(`Регион с кодом "${regionCode}" не найден`, 'regionCode');
    return rows[0].id;
  }

  /** The expectations of the schools of the model's region that are within the principal's school scope. */
  async visibleExpectations(model: ContextModelType): Promise<SchoolExpectationType[]> {
    if (model.expectations.length === 0) return [];
    const scope = schoolScopeFragment(this.principal, 's');
    const visible = await selectRows<{ id: number }>(this.em, sqlFragment(`select s.id from school s where s.region_id = ? and (${scope.sql})`, [model.regionId, ...scope.bindings]));
    const ids = new Set(visible.map((row) => row.id));
    return model.expectations.filter((e) => ids.has(e.schoolId));
  }

  findAssessment(key: AssessmentKeyInput, year: number): Promise<number> {
    return findAssessmentId(this.em, key, year, 'assessment');
  }
}
