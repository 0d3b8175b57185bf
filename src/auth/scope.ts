import type { FilterQuery } from '@mikro-orm/core';
import { BenchmarkLevel } from '../assessments/enums';
import type { BenchmarkResult } from '../assessments/benchmark-result.entity';
import type { Municipality } from '../schools/municipality.entity';
import type { Region } from '../schools/region.entity';
import type { School } from '../schools/school.entity';
import type { Principal } from './principal';
import { Role } from './role';

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

/** Russia's values are public; region and municipality values only within the scope. */
export function benchmarkScope(principal: Principal): FilterQuery<BenchmarkResult> {
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

/**
 * The same school scope for raw SQL over a table aliased `alias` with region_id / municipality_id / id
 * columns of a school: returns a condition and its bindings.
 */
export function schoolScopeSql(principal: Principal, alias: string): { sql: string; bindings: number[] } {
  switch (principal.role) {
    case Role.ADMIN:
      return { sql: 'true', bindings: [] };
    case Role.REGIONAL_IMPORTER:
    case Role.BI_READER:
      return { sql: `${alias}.region_id = ?`, bindings: [principal.regionId!] };
    case Role.MUNICIPAL_ANALYST:
      return { sql: `${alias}.municipality_id = ?`, bindings: [principal.municipalityId!] };
    case Role.SCHOOL:
      return { sql: `${alias}.id = ?`, bindings: [principal.schoolId!] };
  }
}
