import { codeOfMetaError, codeOfStatus, describeError } from './error-catalogue';

describe('error catalogue', () => {
  it.each([
    [190, 'meta_token_invalid'],
    [102, 'meta_token_invalid'],
    [0, 'meta_token_invalid'],
    [10, 'meta_permission_missing'],
    [200, 'meta_permission_missing'],
    [299, 'meta_permission_missing'],
    [100, 'meta_invalid_request'],
    [4, 'meta_rate_limited'],
    [17, 'meta_rate_limited'],
    [32, 'meta_rate_limited'],
    [613, 'meta_rate_limited'],
    [80007, 'meta_rate_limited'],
    [2, 'meta_unavailable'],
    [133016, 'meta_blocked'],
    [131047, 'meta_error'],
  ])('classes Meta code %i as %s', (metaCode, code) => {
    expect(codeOfMetaError(metaCode)).toBe(code);
  });

  it('gives every class a sentence and an action without raw codes', () => {
    for (const status of [400, 401, 403, 404, 409, 410, 413, 429, 500, 502, 503]) {
      const words = describeError(codeOfStatus(status));
      expect(words.message).toMatch(/^[A-Z].*\.$/);
      expect(words.action).toMatch(/^[A-Z].*\.$/);
      expect(`${words.message} ${words.action}`).not.toMatch(/\d{3}|Exception|Graph/);
    }
  });

  it("prefers a Meta code's own words to its class", () => {
    expect(describeError('meta_blocked', 133016).message).toContain('10 registration attempts per 72 hours');
    expect(describeError('meta_error', 131047).action).toContain('template');
    expect(describeError('meta_error', 133999).message).toContain('register');
    expect(describeError('meta_token_invalid', 190).message).toContain('does not accept this access token');
  });
});
