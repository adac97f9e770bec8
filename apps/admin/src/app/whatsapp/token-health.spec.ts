import { createConnection, createWaba } from '../../testing/factories';
import { describeTokenHealth, wabaNeedsReconnect } from './token-health';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('describeTokenHealth', () => {
  it('says "never expires" for a token without expiry', () => {
    expect(describeTokenHealth(createConnection({ expiresAt: null }), NOW)).toEqual({
      label: 'never expires',
      tone: 'good',
      needsReconnect: false,
    });
  });

  it('counts whole days left', () => {
    expect(describeTokenHealth(createConnection({ expiresAt: at(12 * DAY + 3600_000) }), NOW).label).toBe('expires in 12 days');
    expect(describeTokenHealth(createConnection({ expiresAt: at(DAY + 1000) }), NOW).label).toBe('expires in 1 day');
  });

  it('counts hours on the last day, and warns within a week', () => {
    const soon = describeTokenHealth(createConnection({ expiresAt: at(5 * 3600_000 + 60_000) }), NOW);
    expect(soon).toEqual({ label: 'expires in 5 hours', tone: 'warn', needsReconnect: false });
    expect(describeTokenHealth(createConnection({ expiresAt: at(6 * DAY) }), NOW).tone).toBe('warn');
    expect(describeTokenHealth(createConnection({ expiresAt: at(30 * DAY) }), NOW).tone).toBe('good');
  });

  it('warns when the API marks the credential as expiring, even with time left', () => {
    expect(describeTokenHealth(createConnection({ status: 'expiring', expiresAt: at(30 * DAY) }), NOW).tone).toBe('warn');
  });

  it.each(['needs_reauth', 'revoked'] as const)('says "reconnect needed" when the credential is %s', (status) => {
    expect(describeTokenHealth(createConnection({ status, expiresAt: at(30 * DAY) }), NOW)).toEqual({
      label: 'reconnect needed',
      tone: 'bad',
      needsReconnect: true,
    });
  });

  it('treats a passed expiry as needing a reconnect', () => {
    const health = describeTokenHealth(createConnection({ expiresAt: at(-60_000) }), NOW);
    expect(health.needsReconnect).toBe(true);
    expect(health.label).toBe('expired, reconnect needed');
  });
});

describe('wabaNeedsReconnect', () => {
  it('is true for a WABA Meta revoked, or whose credential needs a new consent', () => {
    expect(wabaNeedsReconnect(createWaba({ state: 'revoked' }), NOW)).toBe(true);
    expect(wabaNeedsReconnect(createWaba({ connection: createConnection({ status: 'needs_reauth' }) }), NOW)).toBe(true);
    expect(wabaNeedsReconnect(createWaba(), NOW)).toBe(false);
  });
});
