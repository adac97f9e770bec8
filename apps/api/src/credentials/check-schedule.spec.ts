import { healthOf, nextCheckAfterFailure, nextCheckAfterGrant, nextCheckForValid, shouldExtend } from './check-schedule';

const now = new Date('2026-11-25T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
const hoursUntil = (date: Date) => (date.getTime() - now.getTime()) / 3_600_000;

describe('token check schedule', () => {
  it('checks a never-expiring token once a day and never extends it', () => {
    expect(hoursUntil(nextCheckForValid(null, now))).toBe(24);
    expect(shouldExtend(null, now)).toBe(false);
    expect(healthOf(null, now)).toBe('active');
  });

  it('checks sooner as expiry nears', () => {
    const far = hoursUntil(nextCheckForValid(inDays(50), now));
    const windowOpens = hoursUntil(nextCheckForValid(inDays(14.5), now));
    const close = hoursUntil(nextCheckForValid(inDays(2), now));
    const last = hoursUntil(nextCheckForValid(new Date(now.getTime() + 20 * 60_000), now));
    expect(far).toBe(24);
    expect(windowOpens).toBe(12);
    expect(close).toBe(6);
    expect(last).toBe(0.25);
    expect(far).toBeGreaterThan(windowOpens);
    expect(windowOpens).toBeGreaterThan(close);
    expect(close).toBeGreaterThan(last);
  });

  it('extends only valid tokens inside the 14-day window, and calls them expiring in the last 7 days', () => {
    expect(shouldExtend(inDays(20), now)).toBe(false);
    expect(shouldExtend(inDays(10), now)).toBe(true);
    expect(shouldExtend(inDays(-1), now)).toBe(false);
    expect(healthOf(inDays(10), now)).toBe('active');
    expect(healthOf(inDays(3), now)).toBe('expiring');
  });

  it('makes a fresh grant due at once only when it already needs extending', () => {
    expect(nextCheckAfterGrant(inDays(3), now)).toEqual(now);
    expect(hoursUntil(nextCheckAfterGrant(inDays(60), now))).toBe(24);
  });

  it('spaces retries after failures out, up to an hour', () => {
    expect([1, 2, 3, 10].map((n) => hoursUntil(nextCheckAfterFailure(n, now)) * 60)).toEqual([1, 2, 4, 60]);
  });
});
