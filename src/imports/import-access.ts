import type { Principal } from '../shared/principal';
import { Role } from '../shared/role';
import { assertRole } from '../auth/authorization';

/** Roles that load data: the hub's administrators and regional centres (the latter only for their region's schools). */
export const IMPORT_ROLES: Role[] = [Role.ADMIN, Role.REGIONAL_IMPORTER];

export function assertImporter(principal: Principal): void {
  assertRole(principal, IMPORT_ROLES);
}
