import { Role } from './role';

/**
 * Who is asking, and the part of the data they may see. Scope is by database id and is turned into SQL
 * conditions by the services (see src/auth/scope.ts), never applied by filtering results afterwards. It lives in
 * src/shared, below src/auth, because the job engine and the GraphQL request context record it too, and src/auth's
 * resolvers import that context.
 */
export interface Principal {
  /** "key:<id>" for API keys, "cli" or "system" for the hub's own processes. */
  actor: string;
  keyId: number | null;
  role: Role;
  regionId: number | null;
  municipalityId: number | null;
  schoolId: number | null;
}

/** The hub's own processes (CLI, jobs, demo loading) act with full rights. */
export const SYSTEM_PRINCIPAL: Principal = { actor: 'system', keyId: null, role: Role.ADMIN, regionId: null, municipalityId: null, schoolId: null };
