import type { Principal } from '../../auth/principal';
import { Role } from '../../auth/role';
import { schoolScopeSql } from '../../auth/scope';
import { sqlFragment, type SqlFragment } from './sql';

/*
 * Raw-SQL twins of the ORM scopes of src/auth/scope.ts, for statements written by hand (analytics, and the
 * hot loaders of the read path). test/comparisons/scope-sql.test.ts checks that each twin selects exactly
 * the rows its ORM scope selects, for every role. They belong beside schoolScopeSql in src/auth/scope.ts.
 */

/** The principal's school scope over a `school` row aliased `alias` (src/auth/scope.ts, as a fragment). */
export function schoolScopeFragment(principal: Principal, alias: string): SqlFragment {
  const { sql, bindings } = schoolScopeSql(principal, alias);
  return sqlFragment(sql, bindings);
}

/**
 * `benchmarkScope` of src/auth/scope.ts for raw SQL over benchmark_result aliased `alias`: Russia's values are
 * public, region and municipality values only within the principal's scope.
 */
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

/** `regionScope` of src/auth/scope.ts over a `region` row aliased `alias`. */
export function regionScopeFragment(principal: Principal, alias: string): SqlFragment {
  return principal.role === Role.ADMIN ? sqlFragment('true') : sqlFragment(`${alias}.id = ?`, [principal.regionId]);
}

/** `municipalityScope` of src/auth/scope.ts over a `municipality` row aliased `alias`. */
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
