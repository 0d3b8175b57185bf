import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { hubError } from '../graphql/errors';
import type { Principal } from '../shared/principal';
import { Role } from '../shared/role';

/** type-graphql's check for @Authorized(roles): a refusal names the roles that may do it. */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  assertRole(context.principal, roles);
  return true;
};

export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (roles.length > 0 && !roles.includes(principal.role)) {
    throw hubError('FORBIDDEN', `Недостаточно прав: действие доступно ролям ${roles.join(', ')}, у ключа роль ${principal.role}`);
  }
}

/** Roles that may ask for recomputes: those that answer for data and its analysis. */
export const RECOMPUTE_ROLES: Role[] = [Role.ADMIN, Role.REGIONAL_IMPORTER, Role.MUNICIPAL_ANALYST];
