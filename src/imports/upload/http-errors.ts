import type express from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from '../../shared/logger';

const STATUS_BY_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413 };

export function sendError(res: express.Response, status: number, code: string, message: string): void {
  if (!res.headersSent) res.status(status).json({ error: { code, message } });
}

/** Coded errors (the API's own) go to the client with their status; anything else is logged and hidden. */
export function sendFailure(res: express.Response, error: unknown, log: Logger, what: string): void {
  const code = error instanceof GraphQLError ? String(error.extensions.code ?? '') : '';
  if (STATUS_BY_CODE[code]) {
    sendError(res, STATUS_BY_CODE[code], code, (error as Error).message);
    return;
  }
  log.error({ err: error }, `${what} failed`);
  sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Внутренняя ошибка сервера; подробности записаны в журнал');
}
