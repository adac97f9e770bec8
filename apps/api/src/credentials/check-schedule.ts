// When a credential is checked next, when it is extended, and when it counts as expiring: pure
// functions of the token's expiry and "now", so the rules are tested without a clock or Meta.
import type { ConnectionStatus } from '@waba/contracts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Meta never says when a token is revoked; a daily look is how we find out (docs/meta.md §5). */
export const HEALTHY_RECHECK_MS = DAY_MS;
/** Exchange a still-valid expiring token this long before it expires (60-day tokens: after ~46 days). */
export const EXTEND_WITHIN_MS = 14 * DAY_MS;
/** Tell the tenant "expiring" when a token could not be extended and is this close to its end. */
export const EXPIRING_WITHIN_MS = 7 * DAY_MS;
const MIN_RECHECK_MS = 15 * MINUTE_MS;
const FAILURE_RETRY_BASE_MS = MINUTE_MS;
const FAILURE_RETRY_CAP_MS = HOUR_MS;

export function remainingMs(expiresAt: Date | null, now: Date): number {
  return expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt.getTime() - now.getTime();
}

/** A valid token is extended when it expires within the window; a never-expiring one never is. */
export function shouldExtend(expiresAt: Date | null, now: Date): boolean {
  const left = remainingMs(expiresAt, now);
  return left > 0 && left <= EXTEND_WITHIN_MS;
}

/** Status of a token Meta just called valid. */
export function healthOf(expiresAt: Date | null, now: Date): Extract<ConnectionStatus, 'active' | 'expiring'> {
  return remainingMs(expiresAt, now) <= EXPIRING_WITHIN_MS ? 'expiring' : 'active';
}

/**
 * Next check of a valid token: daily while far from expiry, right when the extension window opens,
 * then more often as the end nears (a quarter of what is left, at least every 15 minutes).
 */
export function nextCheckForValid(expiresAt: Date | null, now: Date): Date {
  const left = remainingMs(expiresAt, now);
  let wait: number;
  if (left === Number.POSITIVE_INFINITY) wait = HEALTHY_RECHECK_MS;
  else if (left > EXTEND_WITHIN_MS) wait = Math.min(HEALTHY_RECHECK_MS, left - EXTEND_WITHIN_MS);
  else wait = Math.min(6 * HOUR_MS, left / 4);
  return new Date(now.getTime() + Math.max(MIN_RECHECK_MS, wait));
}

/** A grant was just confirmed by `debug_token` during onboarding: schedule like any valid token. */
export function nextCheckAfterGrant(expiresAt: Date | null, now: Date): Date {
  return shouldExtend(expiresAt, now) ? now : nextCheckForValid(expiresAt, now);
}

/** After a timeout or 5xx: 1, 2, 4 … minutes, at most an hour; the credential keeps its status. */
export function nextCheckAfterFailure(failuresInARow: number, now: Date): Date {
  const wait = Math.min(FAILURE_RETRY_CAP_MS, FAILURE_RETRY_BASE_MS * 2 ** Math.max(0, failuresInARow - 1));
  return new Date(now.getTime() + wait);
}
