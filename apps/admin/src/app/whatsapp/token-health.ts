import type { ConnectionView, WabaView } from '@waba/contracts';
import type { StatusTone } from '../shared/ui/status-badge.component';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Below this, an expiring credential is shown as a warning. */
const SOON_MS = 7 * DAY_MS;

export interface TokenHealth {
  /** In words: "never expires", "expires in 12 days", "reconnect needed". */
  label: string;
  tone: StatusTone;
  needsReconnect: boolean;
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
export function wabaNeedsReconnect(waba: WabaView, now: number): boolean {
  return waba.state === 'revoked' || describeTokenHealth(waba.connection, now).needsReconnect;
}
