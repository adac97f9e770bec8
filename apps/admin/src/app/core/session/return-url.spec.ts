import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('returns a path inside the app unchanged, query string included', () => {
    expect(safeReturnUrl('/settings')).toBe('/settings');
    expect(safeReturnUrl('/events?filter=errors')).toBe('/events?filter=errors');
  });

  it.each([null, undefined, '', 'https://evil.example/phish', '//evil.example', '/\\evil.example', 'settings'])('sends %s to the overview instead of leaving the app', (value) => {
    expect(safeReturnUrl(value)).toBe('/overview');
  });

  it('does not send a freshly signed-in user back to the login or sign-up page', () => {
    expect(safeReturnUrl('/login?returnUrl=%2Fsettings')).toBe('/overview');
    expect(safeReturnUrl('/signup')).toBe('/overview');
  });
});
