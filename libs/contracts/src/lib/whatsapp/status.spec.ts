import { deriveNumberStatus, deriveWabaStatus, describeTokenHealth, wabaNeedsReconnect } from './status';
import type { ConnectionView, PhoneNumberView, WabaView } from './whatsapp.dto';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

function connection(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return { id: 'c1', source: 'embedded_signup', status: 'active', expiresAt: null, lastCheckedAt: null, lastError: null, ...overrides };
}

function number(overrides: Partial<PhoneNumberView> = {}): PhoneNumberView {
  return {
    phoneNumberId: '101',
    wabaId: '900',
    displayPhone: '+1 555-010-0001',
    verifiedName: 'Acme Bakery',
    qualityRating: 'GREEN',
    nameStatus: 'APPROVED',
    codeVerificationStatus: 'VERIFIED',
    messagingLimit: 'TIER_2K',
    platformType: 'CLOUD_API',
    metaStatus: 'CONNECTED',
    state: 'connected',
    registration: 'not_needed',
    isActive: true,
    source: 'embedded_signup',
    lastError: null,
    lastRefreshedAt: null,
    connectedAt: '2026-01-01T00:00:00.000Z',
    pinSet: false,
    ...overrides,
  };
}

function waba(overrides: Partial<WabaView> = {}): WabaView {
  return { wabaId: '900', name: 'Acme', ownerBusinessName: 'Acme Ltd', subscribed: true, state: 'connected', connection: connection(), restriction: null, numbers: [number()], ...overrides };
}

describe('describeTokenHealth', () => {
  it('says "never expires" for a token without expiry', () => {
    expect(describeTokenHealth(connection({ expiresAt: null }), NOW)).toEqual({ label: 'never expires', tone: 'good', needsReconnect: false });
  });

  it('counts whole days and hours left, warning inside a week or when the check said expiring', () => {
    expect(describeTokenHealth(connection({ expiresAt: at(12 * DAY + 3600_000) }), NOW).label).toBe('expires in 12 days');
    expect(describeTokenHealth(connection({ expiresAt: at(5 * 3600_000 + 60_000) }), NOW)).toEqual({ label: 'expires in 5 hours', tone: 'warn', needsReconnect: false });
    expect(describeTokenHealth(connection({ expiresAt: at(30 * DAY) }), NOW).tone).toBe('good');
    expect(describeTokenHealth(connection({ status: 'expiring', expiresAt: at(30 * DAY) }), NOW).tone).toBe('warn');
  });

  it.each(['needs_reauth', 'revoked'] as const)('asks for a reconnect when the credential is %s or past its expiry', (status) => {
    expect(describeTokenHealth(connection({ status }), NOW).needsReconnect).toBe(true);
    expect(describeTokenHealth(connection({ expiresAt: at(-60_000) }), NOW).label).toBe('expired, reconnect needed');
  });
});

describe('deriveNumberStatus', () => {
  it('is green "Connected" only when the number, its credential and Meta all agree', () => {
    expect(deriveNumberStatus(number(), waba(), NOW)).toMatchObject({ kind: 'connected', label: 'Connected', tone: 'good', icon: 'ok' });
  });

  it('says "Reconnect needed" (never Connected) when Meta rejected the credential', () => {
    const status = deriveNumberStatus(number(), waba({ connection: connection({ status: 'needs_reauth' }) }), NOW);
    expect(status).toMatchObject({ kind: 'reconnect_needed', label: 'Reconnect needed', tone: 'bad', icon: 'error' });
    expect(status.explanation).toContain('Reconnect');
  });

  it('says "Reconnect needed" when the business removed our access to the WABA', () => {
    expect(deriveNumberStatus(number(), waba({ state: 'revoked' }), NOW)).toMatchObject({ kind: 'access_removed', label: 'Reconnect needed', tone: 'bad' });
  });

  it('says "Flagged" for a number Meta flagged, and for a low quality rating', () => {
    expect(deriveNumberStatus(number({ metaStatus: 'FLAGGED', qualityRating: 'YELLOW' }), waba(), NOW)).toMatchObject({ kind: 'flagged', label: 'Flagged', tone: 'bad' });
    expect(deriveNumberStatus(number({ qualityRating: 'RED' }), waba(), NOW)).toMatchObject({ kind: 'flagged', label: 'Flagged' });
  });

  it('puts restrictions and bans above quality', () => {
    expect(deriveNumberStatus(number({ metaStatus: 'RESTRICTED', qualityRating: 'RED' }), waba(), NOW)).toMatchObject({ kind: 'restricted', label: 'Restricted' });
    expect(deriveNumberStatus(number({ metaStatus: 'BANNED' }), waba(), NOW)).toMatchObject({ kind: 'banned', label: 'Banned by Meta' });
    const restricted = waba({ restriction: { event: 'ACCOUNT_RESTRICTION', explanation: 'Meta restricted the account.', at: at(0) } });
    expect(deriveNumberStatus(number(), restricted, NOW)).toMatchObject({ kind: 'restricted' });
  });

  it('warns for medium quality and for a credential that expires within a week', () => {
    expect(deriveNumberStatus(number({ qualityRating: 'YELLOW' }), waba(), NOW)).toMatchObject({ kind: 'quality_medium', tone: 'warn' });
    const expiring = deriveNumberStatus(number(), waba({ connection: connection({ expiresAt: at(3 * DAY + 60_000) }) }), NOW);
    expect(expiring).toMatchObject({ kind: 'credential_expiring', label: 'Credential expiring', tone: 'warn' });
    expect(expiring.explanation).toContain('expires in 3 days');
  });

  it('follows our own lifecycle first: disconnected, connecting, failed', () => {
    expect(deriveNumberStatus(number({ state: 'disconnected' }), waba({ connection: connection({ status: 'revoked' }) }), NOW).label).toBe('Disconnected');
    expect(deriveNumberStatus(number({ state: 'pending' }), waba(), NOW)).toMatchObject({ kind: 'connecting', icon: 'pending' });
    expect(deriveNumberStatus(number({ state: 'failed', lastError: 'Registering failed' }), waba(), NOW)).toMatchObject({ kind: 'failed', explanation: 'Registering failed' });
  });
});

describe('deriveWabaStatus', () => {
  it('is "Reconnect needed", not Connected, while its credential is rejected', () => {
    const dead = waba({ connection: connection({ status: 'needs_reauth' }) });
    expect(deriveWabaStatus(dead, NOW)).toMatchObject({ kind: 'reconnect_needed', label: 'Reconnect needed', tone: 'bad' });
    expect(wabaNeedsReconnect(dead, NOW)).toBe(true);
  });

  it('names Meta restrictions with their explanation', () => {
    const restricted = waba({ restriction: { event: 'ACCOUNT_RESTRICTION', explanation: 'Meta restricted the account.', at: at(0) } });
    expect(deriveWabaStatus(restricted, NOW)).toMatchObject({ kind: 'restricted', label: 'Restricted by Meta', explanation: 'Meta restricted the account.' });
  });

  it('needs attention when one of its numbers is flagged, and is Connected otherwise', () => {
    expect(deriveWabaStatus(waba({ numbers: [number(), number({ phoneNumberId: '102', metaStatus: 'FLAGGED' })] }), NOW)).toMatchObject({ kind: 'attention', tone: 'bad' });
    expect(deriveWabaStatus(waba(), NOW)).toMatchObject({ kind: 'connected', label: 'Connected', tone: 'good' });
    expect(deriveWabaStatus(waba({ state: 'disconnected' }), NOW).label).toBe('Disconnected');
  });
});
