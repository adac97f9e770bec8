import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ApiErrorBody } from '@waba/contracts';
import type { Response } from 'express';
import { DomainError, TooManyRequestsError } from './domain-errors';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Maps every error to `ApiErrorBody`; unexpected errors are logged and never leak details. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    sendError(exception, host.switchToHttp().getResponse<Response>());
  }
}

const logger = new Logger('Errors');

/**
 * The one mapping from an error to its answer: for the filter, and for the express handlers that
 * run ahead of Nest's pipeline (the webhook endpoint, see webhooks/webhook-receiver.ts).
 */
export function sendError(exception: unknown, response: Response): void {
  const body = toBody(exception);
  if (body.statusCode >= 500 && body.statusCode !== 503) {
    logger.error({ err: exception }, 'Unhandled error');
  } else if (body.statusCode === 503) {
    logger.warn(`Database unavailable: ${(exception as Error).message}`);
  }
  if (response.headersSent) return;
  if (exception instanceof TooManyRequestsError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
  response.status(body.statusCode).json(body);
}

function toBody(exception: unknown): ApiErrorBody {
  if (exception instanceof DomainError) return body(exception.status, exception.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    if (typeof payload === 'object' && payload !== null) {
      const { message, details } = payload as { message?: string | string[]; details?: string[] };
      if (Array.isArray(message)) return body(status, message.join('; '), message);
      return body(status, message ?? exception.message, details);
    }
    return body(status, String(payload));
  }
  if (isDatabaseUnavailable(exception)) return body(503, 'The database is unavailable; try again shortly');
  if (isDuplicateKey(exception)) return body(409, 'This record already exists');
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

function body(statusCode: number, message: string, details?: string[]): ApiErrorBody {
  return { statusCode, error: STATUS_NAMES[statusCode] ?? 'Error', message, ...(details ? { details } : {}) };
}

/** Mongoose/driver errors that mean "no database right now", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  const message = (error as Error)?.message ?? '';
  return (
    /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError|MongoNetworkTimeoutError/.test(name) ||
    /before initial connection is complete|buffering timed out|Client must be connected|connection .* closed|ECONNREFUSED/.test(message)
  );
}

/** MongoDB's (and FerretDB's) E11000: a unique index refused the write. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | undefined)?.code === 11000;
}
