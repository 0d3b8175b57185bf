import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import { contextRowsQuery, type ContextRow } from './context/context-rows.sql';
import { regionStatisticsFragment } from '../auth/scope';
import { selectRows } from '../shared/sql';

export interface RegionAssessmentKey {
  regionId: number;
  assessmentId: number;
  year: number;
}

/**
 * Loaders of one request. The region's context rows of an assessment feed the context model; a request
 * asking for the model and for several peer groups of that assessment reads them once.
 */
export function createComparisonLoaders(em: EntityManager, principal: Principal) {
  return {
    regionContextRows: new DataLoader<RegionAssessmentKey, ContextRow[], string>(
      (keys) =>
        Promise.all(
          keys.map((key) => selectRows<ContextRow>(em, contextRowsQuery(regionStatisticsFragment(principal, 's'), key.regionId, key.assessmentId, key.year, null))),
        ),
      { cacheKeyFn: (key) => `${key.regionId}|${key.assessmentId}|${key.year}` },
    ),
  };
}

export type ComparisonLoaders = ReturnType<typeof createComparisonLoaders>;

declare module '../graphql/context' {
  interface Loaders extends ComparisonLoaders {}
}
