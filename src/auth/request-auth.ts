import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKeyService } from './api-key.service';
import type { Principal } from './principal';

/** The key a request presents: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) return authorization.replace(/^Bearer\s+/i, '').trim();
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Resolves the request's principal or throws UNAUTHENTICATED (HTTP 401) saying why. */
export async function authenticateRequest(em: EntityManager, headers: Record<string, string | string[] | undefined>): Promise<Principal> {
  const key = presentedKey(headers);
  if (!key) throw unauthenticated('Нужен ключ доступа: заголовок Authorization: Bearer <ключ> или X-Api-Key: <ключ>');
  const principal = await new ApiKeyService(em).authenticate(key);
  if (!principal) throw unauthenticated('Ключ доступа не принят: неизвестен, отозван или истёк его срок');
  return principal;
}
