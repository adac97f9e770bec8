import { classifyGraphError, isRegistrationLimit, MetaGraphError, regainAccessMs } from './graph-errors';

describe('classifyGraphError', () => {
  it.each([
    [190, 463, 'credential'],
    [190, undefined, 'credential'],
    [102, undefined, 'credential'],
    [0, undefined, 'credential'],
  ])('treats code %s (subcode %s) as a dead credential that is never retried', (code, subcode, kind) => {
    expect(classifyGraphError({ code, subcode, httpStatus: 400 })).toEqual({ kind, retryable: false });
  });

  it.each([3, 10, 200, 250, 299])('treats code %s as a permission error', (code) => {
    expect(classifyGraphError({ code, httpStatus: 403 })).toEqual({ kind: 'permission', retryable: false });
  });

  it.each([4, 17, 32, 613, 80007, 80008, 130429])('treats code %s as a rate limit even on HTTP 400', (code) => {
    const result = classifyGraphError({ code, httpStatus: 400 });
    expect(result).toEqual({ kind: 'rate_limited', retryable: true, retryAfterMs: 60_000 });
  });

  it('takes the rate-limit wait from X-Business-Use-Case-Usage', () => {
    const header = JSON.stringify({
      '400000000000001': [{ type: 'whatsapp_business_management', call_count: 100, estimated_time_to_regain_access: 7 }],
      '400000000000002': [{ type: 'whatsapp_business_management', call_count: 20, estimated_time_to_regain_access: 0 }],
    });
    expect(classifyGraphError({ code: 80007, httpStatus: 400, businessUseCaseUsage: header }).retryAfterMs).toBe(7 * 60_000);
  });

  it.each([1, 2])('treats code %s as temporary', (code) => {
    expect(classifyGraphError({ code, httpStatus: 500 })).toEqual({ kind: 'temporary', retryable: true });
  });

  it('treats a 5xx without a Graph error body as temporary and a bare 4xx as unknown', () => {
    expect(classifyGraphError({ httpStatus: 502 })).toEqual({ kind: 'temporary', retryable: true });
    expect(classifyGraphError({ httpStatus: 404 })).toEqual({ kind: 'unknown', retryable: false });
  });

  it('never retries the register limit and says it lasts 72 hours', () => {
    expect(classifyGraphError({ code: 133016, httpStatus: 400 })).toEqual({
      kind: 'blocked',
      retryable: false,
      retryAfterMs: 72 * 3600_000,
    });
  });

  it('never retries an invalid parameter, whatever the HTTP status', () => {
    expect(classifyGraphError({ code: 100, httpStatus: 500 })).toEqual({ kind: 'invalid', retryable: false });
  });

  it('classifies by code, not by HTTP status', () => {
    expect(classifyGraphError({ code: 190, httpStatus: 500 }).kind).toBe('credential');
    expect(classifyGraphError({ code: 2, httpStatus: 400 }).kind).toBe('temporary');
  });
});

describe('regainAccessMs', () => {
  it('ignores a missing or malformed header', () => {
    expect(regainAccessMs(undefined)).toBeUndefined();
    expect(regainAccessMs('not json')).toBeUndefined();
    expect(regainAccessMs('{"1":[{"estimated_time_to_regain_access":0}]}')).toBeUndefined();
  });
});

describe('isRegistrationLimit', () => {
  const refused = (code: number) => new MetaGraphError({ ...classifyGraphError({ code, httpStatus: 400 }), message: 'refused', code, endpoint: 'POST /{phone-number-id}/register' });

  it("is Meta's 133016 only: another block (368) or any other error is not the register limit", () => {
    expect(isRegistrationLimit(refused(133016))).toBe(true);
    expect(isRegistrationLimit(refused(368))).toBe(false);
    expect(isRegistrationLimit(refused(100))).toBe(false);
    expect(isRegistrationLimit(new Error('133016'))).toBe(false);
  });
});
