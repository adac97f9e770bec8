import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { MetaGraphError } from '@waba/meta-graph';
import { AllExceptionsFilter, isDatabaseUnavailable } from './all-exceptions.filter';
import { ConflictError, InvalidRequestError, NotFoundError } from './domain-errors';

function respond(exception: unknown): { status: number; body: Record<string, unknown> } {
  const captured = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    headersSent: false,
    status(code: number) {
      captured.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      captured.body = body;
    },
  };
  const request = { id: 'req-7' };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return captured;
}

describe('AllExceptionsFilter', () => {
  it('maps domain errors to their status with the message', () => {
    expect(respond(new NotFoundError('Phone number not found'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'Phone number not found' },
    });
    expect(respond(new ConflictError('taken')).status).toBe(409);
  });

  it("names the error class of a Meta refusal and keeps Meta's code, trace id and our request id for support", () => {
    const meta = new MetaGraphError({
      kind: 'credential',
      retryable: false,
      code: 190,
      subcode: 460,
      fbtraceId: 'AbC123',
      message: 'Graph GET /v25.0/1 failed: (#190) expired',
      endpoint: 'GET /v25.0/1',
    });
    const { status, body } = respond(new InvalidRequestError('Meta could not be reached for this number: Graph GET /v25.0/1 failed', { cause: meta }));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'meta_token_invalid',
      support: { metaCode: 190, metaSubcode: 460, fbtraceId: 'AbC123', requestId: 'req-7', technical: 'Meta could not be reached for this number: Graph GET /v25.0/1 failed' },
    });
  });

  it("gives the throttler's 429 the rate-limited class instead of its class name", () => {
    const { status, body } = respond(new ThrottlerException());
    expect(status).toBe(429);
    expect(body['code']).toBe('rate_limited');
  });

  it('keeps validation details', () => {
    const { status, body } = respond(new BadRequestException({ message: 'Invalid request: a', details: ['a'] }));
    expect(status).toBe(400);
    expect(body['details']).toEqual(['a']);
  });

  it('turns an unreachable database into 503', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'MongoServerSelectionError' });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(respond(error).status).toBe(503);
  });

  it('never leaks the message of an unexpected error', () => {
    const { status, body } = respond(new Error('token EAAsecret leaked'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('EAAsecret');
  });
});
