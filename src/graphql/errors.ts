import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../shared/logger';

/** Error codes a client can act on; the message says what was wrong and where. */
export type HubErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE' | 'CONFLICT';

export function hubError(code: HubErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, argument?: string) => hubError('BAD_USER_INPUT', message, argument ? { argument } : {});

/** A positive whole-number id that fits the database's integer ids, or BAD_USER_INPUT naming the argument. */
export function parseId(id: string, argument: string, what = 'объекта'): number {
  const value = /^\d{1,10}$/.test(id) ? Number(id) : NaN;
  if (!(value > 0 && value <= 2_147_483_647)) throw badInput(`Неверный id ${what}: "${id.slice(0, 40)}"`, argument);
  return value;
}

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX',
]);

const INTERNAL_MESSAGE = 'Внутренняя ошибка сервера; подробности записаны в журнал под номером запроса (requestId)';

/** PostgreSQL's «data exception» class (22xxx: out of range, bad date, bad text): a value the client sent. */
function databaseDataException(error: unknown): boolean {
  let current = (error as { originalError?: unknown })?.originalError;
  while (current && typeof current === 'object') {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    current = (current as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Whether an error is the client's to fix (answered as is) rather than the hub's (logged, answered generically). */
function isClientError(formatted: GraphQLFormattedError, error: unknown): boolean {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return true;
  return Boolean((error as { originalError?: { validationErrors?: unknown } })?.originalError?.validationErrors) || databaseDataException(error);
}

/**
 * Client errors pass through with their code; type-graphql's argument validation and values the database
 * refuses as data become BAD_USER_INPUT naming the field; anything else becomes a generic
 * INTERNAL_SERVER_ERROR, so no stack trace or SQL ever reaches a client (errorReportingPlugin logs it).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = (error as { originalError?: { validationErrors?: { property?: string; constraints?: Record<string, string> }[] } })?.originalError;
  if (original?.validationErrors) {
    const fields = original.validationErrors.map((v) => v.property).filter(Boolean);
    return {
      message: `Недопустимые значения полей: ${fields.join(', ')}`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'BAD_USER_INPUT', fields, validationErrors: original.validationErrors },
    };
  }
  if (databaseDataException(error)) {
    const field = formatted.path?.join('.') ?? 'запрос';
    return { message: `Недопустимое значение в аргументах поля ${field}: вне допустимого диапазона или формата`, path: formatted.path, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { message: INTERNAL_MESSAGE, path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Every unexpected error is logged with the request's id, and the client's error carries the same id, so a
 * user's report leads straight to the log line. Client errors are not logged: they are answers.
 */
export function errorReportingPlugin<C extends { requestId?: string }>(log: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const formatted = error.toJSON ? error.toJSON() : { message: error.message, extensions: error.extensions };
            if (isClientError(formatted, error)) continue;
            log.error({ requestId: contextValue?.requestId, operation: operationName ?? null, path: error.path, err: error.originalError ?? error }, 'unexpected error in a GraphQL operation');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue?.requestId) return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}
