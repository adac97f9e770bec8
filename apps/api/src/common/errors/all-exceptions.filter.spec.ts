import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { AllExceptionsFilter, isDatabaseUnavailable } from './all-exceptions.filter';
import { ConflictError, NotFoundError } from './domain-errors';

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
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
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
