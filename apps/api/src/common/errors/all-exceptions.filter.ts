import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { codeOfMetaError, type ApiErrorBody, type ApiErrorCode, type ErrorSupportInfo } from '@waba/contracts';
import { MetaGraphError } from '@waba/meta-graph';
import type { Request, Response } from 'express';
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
    sendError(exception, host.switchToHttp().getResponse<Response>(), host.switchToHttp().getRequest<Request & { id?: unknown }>());
  }
}

const logger = new Logger('Errors');

/**
 * The one mapping from an error to its answer: for the filter, and for the express handlers that
 * run ahead of Nest's pipeline (the webhook endpoint, see webhooks/webhook-receiver.ts).
 */
export function sendError(exception: unknown, response: Response, request?: Request & { id?: unknown }): void {
  const body = withRequestId(toBody(exception), request?.id);
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
  if (exception instanceof DomainError) return domainBody(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    // The throttler's own "ThrottlerException: Too Many Requests" is a class, not words.
    const code: ApiErrorCode | undefined = status === 429 ? 'rate_limited' : undefined;
    if (typeof payload === 'object' && payload !== null) {
      const { message, details } = payload as { message?: string | string[]; details?: string[] };
      if (Array.isArray(message)) return body(status, message.join('; '), message, 'validation_failed');
      return body(status, message ?? exception.message, details, details ? 'validation_failed' : code);
    }
    return body(status, String(payload), undefined, code);
  }
  if (isDatabaseUnavailable(exception)) return body(503, 'The database is unavailable; try again shortly', undefined, 'service_unavailable');
  if (isDuplicateKey(exception)) return body(409, 'This record already exists', undefined, 'conflict');
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', undefined, 'internal');
}

function body(statusCode: number, message: string, details?: string[], code?: ApiErrorCode, support?: ErrorSupportInfo): ApiErrorBody {
  return {
    statusCode,
    error: STATUS_NAMES[statusCode] ?? 'Error',
    message,
    ...(code ? { code } : {}),
    ...(details ? { details } : {}),
    ...(support && Object.keys(support).length ? { support } : {}),
  };
}

/** A domain error's class comes from its own code, or from the Meta refusal that caused it. */
function domainBody(error: DomainError): ApiErrorBody {
  const meta = error.cause instanceof MetaGraphError ? error.cause : null;
  const code = error.code ?? (meta ? codeOfMetaError(meta.code) : undefined);
  const support: ErrorSupportInfo = {
    ...(meta?.code !== undefined ? { metaCode: meta.code } : {}),
    ...(meta?.subcode !== undefined ? { metaSubcode: meta.subcode } : {}),
    ...(meta?.fbtraceId ? { fbtraceId: meta.fbtraceId } : {}),
    ...error.support,
  };
  return body(error.status, error.message, undefined, code, code ? { ...support, technical: error.message } : support);
}

/** Our request id (the log line's `req.id`), so support can find the request in the logs. */
function withRequestId(answer: ApiErrorBody, requestId: unknown): ApiErrorBody {
  if (!answer.code || (typeof requestId !== 'string' && typeof requestId !== 'number')) return answer;
  return { ...answer, support: { ...answer.support, requestId: String(requestId) } };
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
