import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@waba/contracts';
import { ApiError, CANNOT_REACH_SERVER, detailsOf, messageOf, toApiError } from './api-error';

function failed(status: number, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error, url: '/api/anything' });
}

function apiBody(statusCode: number, message: string, details?: string[]): ApiErrorBody {
  return { statusCode, error: 'Error', message, ...(details ? { details } : {}) };
}

describe('toApiError', () => {
  it('says the server cannot be reached when there was no response (status 0)', () => {
    const error = toApiError(failed(0, new ProgressEvent('error')));

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.message).toBe(CANNOT_REACH_SERVER);
    expect(error.message).toMatch(/^Cannot reach the server/);
  });

  it("uses the API's own message from the ApiErrorBody", () => {
    const error = toApiError(failed(401, apiBody(401, 'Email or password is incorrect')));

    expect(error.status).toBe(401);
    expect(error.message).toBe('Email or password is incorrect');
    expect(error.details).toEqual([]);
  });

  it("words a classified error from the catalogue and keeps the API's text and Meta's code for support", () => {
    const body: ApiErrorBody = {
      ...apiBody(400, 'Import: Graph GET /v25.0/debug_token failed: (#190) Error validating access token'),
      code: 'meta_token_invalid',
      support: { metaCode: 190, fbtraceId: 'AbC', requestId: 'req-1' },
    };
    const error = toApiError(failed(400, body));

    expect(error.message).toBe('Meta does not accept this access token: it has expired, was revoked, or was copied incompletely.');
    expect(error.message).not.toMatch(/Graph|190/);
    expect(error.action).toContain('Create a new system-user token');
    expect(error.support).toEqual({ metaCode: 190, fbtraceId: 'AbC', requestId: 'req-1', technical: body.message });
  });

  it('never shows the throttler class name', () => {
    const error = toApiError(failed(429, { ...apiBody(429, 'ThrottlerException: Too Many Requests'), code: 'rate_limited' }));

    expect(error.message).toBe('Too many attempts in a short time.');
  });

  it('keeps the per-field details of a validation error', () => {
    const details = ['email must be a valid email address', 'password must be at least 10 characters long'];
    const error = toApiError(failed(400, apiBody(400, `Invalid request: ${details.join('; ')}`, details)));

    expect(error.message).toBe(`Invalid request: ${details.join('; ')}`);
    expect(error.details).toEqual(details);
  });

  it('reads a body that arrived as a JSON string', () => {
    const error = toApiError(failed(409, JSON.stringify(apiBody(409, 'This email is already registered'))));

    expect(error.message).toBe('This email is already registered');
  });

  it("accepts NestJS' array-of-lines message shape", () => {
    expect(toApiError(failed(400, { message: ['name must not be empty'] })).message).toBe('name must not be empty');

    const several = toApiError(failed(400, { message: ['name must not be empty', 'email must be a valid email address'] }));
    expect(several.message).toBe('Some fields are not valid.');
    expect(several.details).toEqual(['name must not be empty', 'email must be a valid email address']);
  });

  it.each([
    [429, 'Too many attempts. Wait a moment and try again.'],
    [403, 'You do not have permission to do that.'],
    [502, 'The server is unavailable right now. Try again shortly.'],
    [504, 'The server took too long to answer. Try again shortly.'],
  ])('falls back to a readable message for %i without an API body', (status, message) => {
    expect(toApiError(failed(status, '<html><body>Bad Gateway</body></html>')).message).toBe(message);
  });

  it('names the status for an unexpected server error without a body', () => {
    expect(toApiError(failed(500, null)).message).toBe('The server ran into a problem (error 500). Try again in a moment.');
  });

  it('ignores an empty message and falls back by status', () => {
    expect(toApiError(failed(429, apiBody(429, '   '))).message).toBe('Too many attempts. Wait a moment and try again.');
  });

  it('keeps the raw response for callers that need its body', () => {
    const response = failed(503, { status: 'degraded' });

    expect(toApiError(response).response).toBe(response);
  });
});

describe('messageOf / detailsOf', () => {
  it('reads an ApiError, maps a raw HttpErrorResponse, and hides anything else', () => {
    expect(messageOf(new ApiError(409, 'Taken', ['email is taken']))).toBe('Taken');
    expect(detailsOf(new ApiError(409, 'Taken', ['email is taken']))).toEqual(['email is taken']);
    expect(messageOf(failed(0, null))).toBe(CANNOT_REACH_SERVER);
    expect(messageOf(new TypeError('x is undefined'))).toBe('Something went wrong. Try again.');
    expect(detailsOf(new TypeError('x is undefined'))).toEqual([]);
  });
});
