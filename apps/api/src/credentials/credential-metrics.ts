import { EXPIRY_BUCKETS, type ExpiryBucket } from '../metrics/metrics.service';

const DAY_MS = 24 * 3600_000;

/** Credentials in use by time to expiry: `expired`, within 1, 7, 30, 60 days (each bucket excludes the earlier ones), `later`, `never`. */
export function expiryBuckets(expiries: Array<Date | null>, now: Date): Record<ExpiryBucket, number> {
  const counts: Record<ExpiryBucket, number> = { expired: 0, '1d': 0, '7d': 0, '30d': 0, '60d': 0, later: 0, never: 0 };
  for (const expiresAt of expiries) {
    if (!expiresAt) counts.never++;
    else if (expiresAt.getTime() <= now.getTime()) counts.expired++;
    else {
      const days = (expiresAt.getTime() - now.getTime()) / DAY_MS;
      counts[EXPIRY_BUCKETS.find((b) => days <= b.withinDays)?.bucket ?? 'later']++;
    }
  }
  return counts;
}
