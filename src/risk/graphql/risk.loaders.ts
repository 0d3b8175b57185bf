import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { filteredManyLoader, manyLoader } from '../../shared/batch';
import { RiskReadService } from './risk-read.service';

/** Per-request loaders; they are asked by school ids that were already read within the scope. */
export function createRiskLoaders(em: EntityManager, principal: Principal) {
  const service = new RiskReadService(em, principal);
  return {
    riskZonesBySchool: manyLoader((ids) => service.zonesBySchool(ids), (z) => z.schoolId),
    riskIndicatorsBySchool: filteredManyLoader(
      (ids: number[], filter: { years: number[] | null; flaggedOnly: boolean }) => service.indicatorsBySchool(ids, filter.years, filter.flaggedOnly),
      (v) => v.schoolId,
    ),
  };
}

type RiskLoaders = ReturnType<typeof createRiskLoaders>;

declare module '../../graphql/context' {
  interface Loaders extends RiskLoaders {}
}
