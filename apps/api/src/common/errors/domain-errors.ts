/** Errors services throw; the global exception filter maps each kind to one HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
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
/** We cannot take the request right now; the caller should retry (Meta does, for webhooks). */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
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
