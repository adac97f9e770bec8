import type { ConnectionView, NumberAvailability, PhoneNumberView, WabaView } from './whatsapp.dto';

/**
 * The one derivation of what a tenant is told about a credential, a number and a WABA: every
 * view (WhatsApp page, Overview, picker, events, shell) shows these words, tones and icons, so a
 * number whose credential Meta rejected can never read "Connected" in one place and
 * "reconnect needed" in another. Pure and free of class-validator, so the SPA imports it as
 * `@waba/contracts/status` (the package index would pull the DTO decorators into the bundle).
 */
export type StatusTone = 'good' | 'warn' | 'bad' | 'neutral';

/** A glyph repeating the tone for people who do not see colour; the label carries the meaning. */
export type StatusIcon = 'ok' | 'warning' | 'error' | 'pending' | 'off';

export type NumberStatusKind =
  'connected' | 'quality_medium' | 'credential_expiring' | 'flagged' | 'restricted' | 'banned' | 'reconnect_needed' | 'access_removed' | 'connecting' | 'failed' | 'disconnected';

export type WabaStatusKind = 'connected' | 'attention' | 'restricted' | 'reconnect_needed' | 'access_removed' | 'disconnected';

export interface DerivedStatus<K extends string = string> {
  kind: K;
  /** Short words for a badge: "Connected", "Flagged", "Reconnect needed". */
  label: string;
  tone: StatusTone;
  icon: StatusIcon;
  /** One sentence on what it means and what to do; null when nothing needs saying. */
  explanation: string | null;
}

export interface TokenHealth {
  /** In words: "never expires", "expires in 12 days", "reconnect needed". */
  label: string;
  tone: StatusTone;
  needsReconnect: boolean;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Below this, an expiring credential is shown as a warning. */
const SOON_MS = 7 * DAY_MS;

const ICON_OF: Record<StatusTone, StatusIcon> = { good: 'ok', warn: 'warning', bad: 'error', neutral: 'off' };

function status<K extends string>(kind: K, label: string, tone: StatusTone, explanation: string | null, icon: StatusIcon = ICON_OF[tone]): DerivedStatus<K> {
  return { kind, label, tone, icon, explanation };
}

/** A connection's health and expiry in words, as of `now` (ms). */
export function describeTokenHealth(connection: ConnectionView | null, now: number): TokenHealth {
  if (!connection) {
    return { label: 'no credential', tone: 'neutral', needsReconnect: false };
  }
  if (connection.status === 'needs_reauth' || connection.status === 'revoked') {
    return { label: 'reconnect needed', tone: 'bad', needsReconnect: true };
  }
  if (connection.expiresAt === null) {
    return { label: 'never expires', tone: 'good', needsReconnect: false };
  }
  const left = Date.parse(connection.expiresAt) - now;
  if (Number.isNaN(left)) {
    return { label: 'expiry unknown', tone: 'neutral', needsReconnect: false };
  }
  if (left <= 0) {
    return { label: 'expired, reconnect needed', tone: 'bad', needsReconnect: true };
  }
  const tone: StatusTone = left < SOON_MS || connection.status === 'expiring' ? 'warn' : 'good';
  if (left < DAY_MS) {
    const hours = Math.max(1, Math.floor(left / HOUR_MS));
    return { label: `expires in ${hours} ${hours === 1 ? 'hour' : 'hours'}`, tone, needsReconnect: false };
  }
  const days = Math.floor(left / DAY_MS);
  return { label: `expires in ${days} ${days === 1 ? 'day' : 'days'}`, tone, needsReconnect: false };
}

/** A WABA needs the consent flow again when Meta revoked it or its credential no longer works. */
export function wabaNeedsReconnect(waba: Pick<WabaView, 'state' | 'connection'>, now: number): boolean {
  return waba.state === 'revoked' || describeTokenHealth(waba.connection, now).needsReconnect;
}

const QUALITY: Record<string, { label: string; tone: StatusTone }> = {
  GREEN: { label: 'Quality: high', tone: 'good' },
  YELLOW: { label: 'Quality: medium', tone: 'warn' },
  RED: { label: 'Quality: low', tone: 'bad' },
};

/** Meta's quality rating (GREEN / YELLOW / RED / UNKNOWN) in words. */
export function describeQuality(rating: string | null): { label: string; tone: StatusTone } {
  return (rating && QUALITY[rating.toUpperCase()]) || { label: 'Quality: unknown', tone: 'neutral' };
}

type NumberFacts = Pick<PhoneNumberView, 'state' | 'qualityRating' | 'metaStatus' | 'lastError'>;
type WabaFacts = Pick<WabaView, 'state' | 'connection'> & Partial<Pick<WabaView, 'restriction'>>;

/**
 * One number's status, worst first: our lifecycle (disconnected, connecting, failed), then the
 * WABA's access and credential, then what Meta says of the number (banned, restricted, flagged,
 * quality), then an expiring credential. "Connected" only when nothing else applies.
 */
export function deriveNumberStatus(number: NumberFacts, waba: WabaFacts | null, now: number): DerivedStatus<NumberStatusKind> {
  if (number.state === 'disconnected') {
    return status('disconnected', 'Disconnected', 'neutral', 'This number no longer works with WABA Connect; its history is kept. Reconnect it to use it again.');
  }
  if (waba?.state === 'revoked') {
    return status('access_removed', 'Reconnect needed', 'bad', 'The business removed our access to this WhatsApp Business Account in Meta. Reconnect to restore it.');
  }
  if (waba?.state === 'disconnected') {
    return status('disconnected', 'Disconnected', 'neutral', 'Its WhatsApp Business Account is disconnected. Reconnect it to use this number again.');
  }
  const credential = describeTokenHealth(waba?.connection ?? null, now);
  if (credential.needsReconnect) {
    return status('reconnect_needed', 'Reconnect needed', 'bad', 'Meta no longer accepts the credential for this number, so it cannot send or receive. Reconnect to fix it.');
  }
  if (number.state === 'pending') {
    return status('connecting', 'Connecting…', 'warn', null, 'pending');
  }
  if (number.state === 'failed') {
    return status('failed', 'Connection failed', 'bad', number.lastError ?? 'Connecting this number did not finish. Try connecting it again.');
  }
  const meta = number.metaStatus?.toUpperCase() ?? null;
  if (meta === 'BANNED' || meta === 'DELETED') {
    return status('banned', meta === 'BANNED' ? 'Banned by Meta' : 'Deleted in Meta', 'bad', 'Meta no longer lets this number use WhatsApp. Check WhatsApp Manager for the reason and any appeal.');
  }
  if (meta === 'RESTRICTED' || meta === 'RATE_LIMITED' || waba?.restriction) {
    return status('restricted', 'Restricted', 'bad', 'Meta restricted messaging for this number; it may not start new conversations. See WhatsApp Manager for the reason.');
  }
  const quality = number.qualityRating?.toUpperCase() ?? null;
  if (meta === 'FLAGGED' || quality === 'RED') {
    return status('flagged', 'Flagged', 'bad', 'Meta flagged this number for low quality: customers blocked or reported it. Its messaging limit may be lowered if quality does not improve.');
  }
  if (quality === 'YELLOW') {
    return status('quality_medium', 'Connected, quality medium', 'warn', 'Quality is dropping: watch what you send so Meta does not flag the number.');
  }
  if (credential.tone === 'warn') {
    return status('credential_expiring', 'Credential expiring', 'warn', `The credential ${credential.label}. Reconnect before then to keep the number working.`);
  }
  return status('connected', 'Connected', 'good', null);
}

/** One WABA's status: its access, its credential, Meta's restrictions, and the worst of its numbers. */
export function deriveWabaStatus(waba: WabaFacts & Pick<WabaView, 'numbers'>, now: number): DerivedStatus<WabaStatusKind> {
  if (waba.state === 'disconnected') {
    return status('disconnected', 'Disconnected', 'neutral', 'This account no longer works with WABA Connect; its history is kept.');
  }
  if (waba.state === 'revoked') {
    return status('access_removed', 'Reconnect needed', 'bad', 'The business removed our access to this account in Meta. Reconnect to restore it.');
  }
  if (describeTokenHealth(waba.connection, now).needsReconnect) {
    return status('reconnect_needed', 'Reconnect needed', 'bad', 'Meta no longer accepts the credential of this account, so its numbers cannot send or receive. Reconnect to fix it.');
  }
  if (waba.restriction) {
    return status('restricted', 'Restricted by Meta', 'bad', waba.restriction.explanation);
  }
  const worst = waba.numbers.map((n) => deriveNumberStatus(n, waba, now)).filter((s) => s.kind !== 'disconnected');
  if (worst.some((s) => s.tone === 'bad' || s.tone === 'warn')) {
    return status('attention', 'Needs attention', worst.some((s) => s.tone === 'bad') ? 'bad' : 'warn', 'At least one of its numbers needs attention; see below.');
  }
  return status('connected', 'Connected', 'good', null);
}

const AVAILABILITY: Record<NumberAvailability, { label: string; tone: StatusTone }> = {
  available: { label: 'Available', tone: 'good' },
  connected_here: { label: 'Already connected here', tone: 'neutral' },
  // Never which workspace: that would tell one tenant about another.
  taken: { label: 'Connected to another WABA Connect workspace', tone: 'bad' },
};

/** Whether the picker may offer a number, in words. */
export function describeAvailability(availability: NumberAvailability): { label: string; tone: StatusTone } {
  return AVAILABILITY[availability] ?? { label: availability, tone: 'neutral' };
}

// Template codes in words travel with the status words (the SPA's one side entry for words).
export * from '../templates/template-words';
