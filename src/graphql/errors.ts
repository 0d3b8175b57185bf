import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../shared/logger';

/** Error codes a client can act on; the message says what was wrong and where. */
export type HubErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE' | 'CONFLICT';

export function hubError(code: HubErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, argument?: string) => hubError('BAD_USER_INPUT', message, argument ? { argument } : {});

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX',
]);

/**
 * Client errors pass through with their code; anything else is logged with its stack and returned as a
 * generic INTERNAL_SERVER_ERROR, so no stack trace or SQL ever reaches a client.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // type-graphql argument validation (class-validator) carries validationErrors.
    const original = (error as { originalError?: { validationErrors?: unknown } })?.originalError;
    if (original?.validationErrors) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', validationErrors: original.validationErrors } };
    }
    log.error({ err: error, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return { message: 'Внутренняя ошибка сервера; подробности записаны в журнал', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
