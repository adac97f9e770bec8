import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@waba/contracts';
import { describeError, type ApiErrorCode, type ErrorSupportInfo } from '@waba/contracts/errors';

/**
 * What every failed API call turns into once it has passed the error interceptor:
 * a message a person can read, plus the per-field details the API sent.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    message: string,
    readonly details: readonly string[] = [],
    /** The raw response, for the rare caller that needs its body. */
    readonly response?: HttpErrorResponse,
    /** The error class, what the person can do, and the raw facts for "Details for support". */
    readonly code?: ApiErrorCode,
    readonly action?: string,
    readonly support?: ErrorSupportInfo,
  ) {
    super(message);
  }
}

export const CANNOT_REACH_SERVER = 'Cannot reach the server. Check your connection and try again.';

const FALLBACK_BY_STATUS: Record<number, string> = {
  400: 'The request was not valid. Check the form and try again.',
  401: 'Please sign in to continue.',
  403: 'You do not have permission to do that.',
  404: 'That was not found.',
  409: 'That conflicts with something that already exists.',
  413: 'That is too large to send.',
  429: 'Too many attempts. Wait a moment and try again.',
  502: 'The server is unavailable right now. Try again shortly.',
  503: 'The server is unavailable right now. Try again shortly.',
  504: 'The server took too long to answer. Try again shortly.',
};

/** Turns any failed HTTP response into an {@link ApiError} with a readable message. */
export function toApiError(response: HttpErrorResponse): ApiError {
  if (response.status === 0) {
    return new ApiError(0, CANNOT_REACH_SERVER, [], response);
  }
  const body = readApiErrorBody(response.error);
  const { code, support } = readClass(response.error);
  if (code && code !== 'validation_failed') {
    // The catalogue's words; the API's own text (which may quote Meta) stays behind "Details for support".
    const words = describeError(code, support?.metaCode);
    const technical = support?.technical ?? body?.message;
    return new ApiError(response.status, words.message, body?.details ?? [], response, code, words.action, {
      ...support,
      ...(technical ? { technical } : {}),
    });
  }
  const message = body?.message ?? fallbackMessage(response.status);
  return new ApiError(response.status, message, body?.details ?? [], response, code, undefined, support);
}

function readClass(value: unknown): { code?: ApiErrorCode; support?: ErrorSupportInfo } {
  const body = typeof value === 'string' ? parseJson(value) : value;
  if (!isRecord(body)) {
    return {};
  }
  const code = typeof body['code'] === 'string' ? (body['code'] as ApiErrorCode) : undefined;
  const support = isRecord(body['support']) ? (body['support'] as ErrorSupportInfo) : undefined;
  return { code, support };
}

function fallbackMessage(status: number): string {
  const known = FALLBACK_BY_STATUS[status];
  if (known) {
    return known;
  }
  if (status >= 500) {
    return `The server ran into a problem (error ${status}). Try again in a moment.`;
  }
  return `The request failed (error ${status}).`;
}

/** Reads `ApiErrorBody` defensively: a proxy or a crash can answer with HTML, text or nothing. */
function readApiErrorBody(value: unknown): { message: string; details: string[] } | null {
  const body = typeof value === 'string' ? parseJson(value) : value;
  if (!isRecord(body)) {
    return null;
  }
  const candidate = body as Partial<Record<keyof ApiErrorBody, unknown>>;
  const details = Array.isArray(candidate.details) ? candidate.details.filter((line): line is string => typeof line === 'string' && line.trim() !== '') : [];
  // NestJS' own validation pipe sends `message` as an array of lines; accept that shape too.
  if (Array.isArray(candidate.message)) {
    const lines = candidate.message.filter((line): line is string => typeof line === 'string');
    if (lines.length === 0) {
      return null;
    }
    if (lines.length === 1) {
      return { message: lines[0], details };
    }
    return { message: 'Some fields are not valid.', details: details.length > 0 ? details : lines };
  }
  if (typeof candidate.message === 'string' && candidate.message.trim() !== '') {
    return { message: candidate.message, details };
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page from a proxy, say): there is no message to show.
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For `catch (error)` blocks: the readable message of whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  if (error instanceof HttpErrorResponse) {
    return toApiError(error).message;
  }
  return 'Something went wrong. Try again.';
}

/** The per-field lines of an API validation error, if any. */
export function detailsOf(error: unknown): readonly string[] {
  return error instanceof ApiError ? error.details : [];
}
