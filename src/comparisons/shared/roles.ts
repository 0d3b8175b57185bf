import { Role } from '../../shared/role';

/**
 * Roles that may compare named schools (compareSchools, peer groups, the context model's per-school list,
 * cohorts). A BI reader gets facts, aggregates and correlations only — the role reads «facts and aggregates».
 */
export const COMPARISON_ROLES: Role[] = [Role.ADMIN, Role.REGIONAL_IMPORTER, Role.MUNICIPAL_ANALYST, Role.SCHOOL];
