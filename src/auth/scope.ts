import type { FilterQuery } from '@mikro-orm/core';
import { BenchmarkLevel } from '../territory/enums';
import type { Municipality } from '../territory/municipality.entity';
import type { Region } from '../territory/region.entity';
import type { School } from '../territory/school.entity';
import { sqlFragment, type SqlFragment } from '../shared/sql';
import type { Principal } from '../shared/principal';
import { Role } from '../shared/role';

/*
 * This module owns every scope rule: the ORM conditions first, then their raw-SQL twins for statements written
 * by hand. Nothing else builds a scope condition from a principal (test/architecture/single-home.test.ts).
 * test/auth/scope-fragments.test.ts checks each fragment for every role; test/comparisons/analytics-scope.test.ts
 * that each twin selects exactly the rows its ORM rule selects.
 */

/**
 * A principal's scope as query conditions. Every read of schools, municipalities, regions and reference
 * values goes through these, so a key never sees outside its scope — not by id, alias, cursor or nested field.
 * The conditions are ANDed into the SQL of the query itself.
 */
export function schoolScope(principal: Principal): FilterQuery<School> {
  switch (principal.role) {
    case Role.ADMIN:
      return {};
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return { region: principal.regionId! };
    case Role.MUNICIPAL_ANALYST:
      return { municipality: principal.municipalityId! };
    case Role.SCHOOL:
      return { id: principal.schoolId! };
  }
}

export function municipalityScope(principal: Principal): FilterQuery<Municipality> {
  switch (principal.role) {
    case Role.ADMIN:
      return {};
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return { region: principal.regionId! };
    case Role.MUNICIPAL_ANALYST:
    case Role.SCHOOL:
      return { id: principal.municipalityId! };
  }
}

export function regionScope(principal: Principal): FilterQuery<Region> {
  return principal.role === Role.ADMIN ? {} : { id: principal.regionId! };
}

/**
 * A condition on reference values (BenchmarkResult) by their level and territory, spelled out rather than typed by
 * the entity: it lives in src/assessments, which reads its scope here.
 */
type BenchmarkCondition = {
  $or?: (
    | { level: BenchmarkLevel.RUSSIA }
    | { level: BenchmarkLevel.REGION; region: number }
    | { level: BenchmarkLevel.MUNICIPALITY; municipality: number | { region: number } }
  )[];
};

/** Russia's values are public; region and municipality values only within the scope. */
export function benchmarkScope(principal: Principal): BenchmarkCondition {
  if (principal.role === Role.ADMIN) return {};
  const municipality =
    principal.role === Role.REGIONAL_IMPORTER || principal.role === Role.BI_READER
      ? { municipality: { region: principal.regionId! } }
      : { municipality: principal.municipalityId! };
  return {
    $or: [
      { level: BenchmarkLevel.RUSSIA },
      { level: BenchmarkLevel.REGION, region: principal.regionId! },
      { level: BenchmarkLevel.MUNICIPALITY, ...municipality },
    ],
  };
}

/*
 * Raw-SQL twins, as fragments with `?` bindings over a row aliased `alias`. A principal without the id its role
 * needs matches nothing (a null binding compares to nothing).
 */

/** `schoolScope` over a `school` row (region_id / municipality_id / id columns). */
export function schoolScopeFragment(principal: Principal, alias: string): SqlFragment {
  switch (principal.role) {
    case Role.ADMIN:
      return sqlFragment('true');
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return sqlFragment(`${alias}.region_id = ?`, [principal.regionId]);
    case Role.MUNICIPAL_ANALYST:
      return sqlFragment(`${alias}.municipality_id = ?`, [principal.municipalityId]);
    case Role.SCHOOL:
      return sqlFragment(`${alias}.id = ?`, [principal.schoolId]);
  }
}

/** `municipalityScope` over a `municipality` row. */
export function municipalityScopeFragment(principal: Principal, alias: string): SqlFragment {
  switch (principal.role) {
    case Role.ADMIN:
      return sqlFragment('true');
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return sqlFragment(`${alias}.region_id = ?`, [principal.regionId]);
    case Role.MUNICIPAL_ANALYST:
    case Role.SCHOOL:
      return sqlFragment(`${alias}.id = ?`, [principal.municipalityId]);
  }
}

/** `regionScope` over a `region` row. */
export function regionScopeFragment(principal: Principal, alias: string): SqlFragment {
  return principal.role === Role.ADMIN ? sqlFragment('true') : sqlFragment(`${alias}.id = ?`, [principal.regionId]);
}

/** `benchmarkScope` over a `benchmark_result` row: Russia's values are public, the others only within the scope. */
export function benchmarkScopeFragment(principal: Principal, alias: string): SqlFragment {
  switch (principal.role) {
    case Role.ADMIN:
      return sqlFragment('true');
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return sqlFragment(
        `${alias}.level = 'RUSSIA' or (${alias}.level = 'REGION' and ${alias}.region_id = ?)
         or (${alias}.level = 'MUNICIPALITY' and ${alias}.municipality_id in (select m.id from municipality m where m.region_id = ?))`,
        [principal.regionId, principal.regionId],
      );
    case Role.MUNICIPAL_ANALYST:
    case Role.SCHOOL:
      return sqlFragment(
        `${alias}.level = 'RUSSIA' or (${alias}.level = 'REGION' and ${alias}.region_id = ?)
         or (${alias}.level = 'MUNICIPALITY' and ${alias}.municipality_id = ?)`,
        [principal.regionId, principal.municipalityId],
      );
  }
}

/**
 * Region-wide statistics (the context model's fit, the region percentiles of cohorts): computed over the
 * schools of the principal's own region — the same population as the region reference values every role
 * may read. Rows read under this scope feed statistics only; a school outside the school scope is never
 * named, nor its own value shown.
 */
export function regionStatisticsFragment(principal: Principal, alias: string): SqlFragment {
  return principal.role === Role.ADMIN ? sqlFragment('true') : sqlFragment(`${alias}.region_id = ?`, [principal.regionId]);
}

/**
 * Rows a principal writes or sees by region: import batches, and the territories a regional file may load
 * values for. Administrators all; everyone else their own region (nothing without one).
 */
export function ownRegionFragment(principal: Principal, alias: string): SqlFragment {
  if (principal.role === Role.ADMIN) return sqlFragment('true');
  return sqlFragment(`${alias}.region_id = ?`, [principal.regionId ?? -1]);
}

/**
 * The region a principal's imports belong to (recorded on its batches, its provisional scales): its own for keys
 * bound to a region; none for administrators.
 */
export function ownRegionId(principal: Principal): number | null {
  return principal.role === Role.ADMIN ? null : principal.regionId;
}

/** Rows shared by the hub (region_id null) or of the principal's own region, such as import profiles; administrators all. */
export function sharedOrOwnRegionFragment(principal: Principal, alias: string): SqlFragment {
  if (principal.role === Role.ADMIN) return sqlFragment('true');
  return sqlFragment(`(${alias}.region_id is null or ${alias}.region_id = ?)`, [principal.regionId ?? -1]);
}

/** Municipal action plans (`action_plan` rows with municipality_id) by municipality or region; schools never see them. */
export function municipalPlanScopeFragment(principal: Principal, alias: string): SqlFragment {
  switch (principal.role) {
    case Role.ADMIN:
      return sqlFragment('true');
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return sqlFragment(`${alias}.municipality_id in (select id from municipality where region_id = ?)`, [principal.regionId]);
    case Role.MUNICIPAL_ANALYST:
      return sqlFragment(`${alias}.municipality_id = ?`, [principal.municipalityId]);
    case Role.SCHOOL:
      return sqlFragment('false');
  }
}
