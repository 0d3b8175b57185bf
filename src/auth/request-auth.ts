import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKeyService } from './api-key.service';
import type { Principal } from '../shared/principal';
import type { VerifiedKeys } from './verified-keys';

/** Cookie set by the sign-in page so that the IDE, dashboard and report pages need the key entered once. */
export const KEY_COOKIE = 'msoko_key';

/**
 * The key a request presents: `Authorization: Bearer <key>`, `X-Api-Key: <key>`, or the sign-in cookie
 * (httpOnly, SameSite=Strict; GraphQL keeps Apollo's CSRF prevention, so a cookie alone cannot be abused cross-site).
 */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) return authorization.replace(/^Bearer\s+/i, '').trim();
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const cookie = typeof headers.cookie === 'string' ? headers.cookie : '';
  const match = new RegExp(`(?:^|;\\s*)${KEY_COOKIE}=([^;]+)`).exec(cookie);
  return match ? decodeURIComponent(match[1]) : null;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Resolves the request's principal or throws UNAUTHENTICATED (HTTP 401) saying why. */
export async function authenticateRequest(
  em: EntityManager | (() => EntityManager),
  headers: Record<string, string | string[] | undefined>,
  verifiedKeys?: VerifiedKeys,
): Promise<Principal> {
  const key = presentedKey(headers);
  if (!key) throw unauthenticated('Нужен ключ доступа: заголовок Authorization: Bearer <ключ> или X-Api-Key: <ключ>');
  const principal = verifiedKeys ? await verifiedKeys.authenticate(em, key) : await new ApiKeyService(typeof em === 'function' ? em() : em).authenticate(key);
  if (!principal) throw unauthenticated('Ключ доступа не принят: неизвестен, отозван или истёк его срок');
  return principal;
}
