import type { ApiErrorCode, ErrorSupportInfo } from '@waba/contracts';

export interface DomainErrorOptions {
  /** The error class the SPA's catalogue (libs/contracts error-catalogue.ts) words; from `cause` when Meta refused. */
  code?: ApiErrorCode;
  /** The MetaGraphError behind it: its code, subcode and trace id go to "details for support". */
  cause?: unknown;
  support?: ErrorSupportInfo;
}

/** Errors services throw; the global exception filter maps each kind to one HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  readonly code?: ApiErrorCode;
  readonly support?: ErrorSupportInfo;
  readonly cause?: unknown;
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.cause = options.cause;
    this.code = options.code;
    this.support = options.support;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
}
export class ConflictError extends DomainError {
  readonly status = 409;
}
export class UnauthorizedError extends DomainError {
  readonly status = 401;
}
export class ForbiddenError extends DomainError {
  readonly status = 403;
}
/** It existed but is over for good (a used, withdrawn or expired invitation link). */
export class GoneError extends DomainError {
  readonly status = 410;
}
export class InvalidRequestError extends DomainError {
  readonly status = 400;
}
/** Meta refused or failed a call we needed; the message says what Meta said (never a secret). */
export class UpstreamError extends DomainError {
  readonly status = 502;
}
/** Too many attempts; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
