import { expiryBuckets } from './credential-metrics';

describe('expiryBuckets', () => {
  it('puts each credential in the first bucket its expiry falls in', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const inDays = (days: number) => new Date(now.getTime() + days * 24 * 3600_000);
    expect(expiryBuckets([null, inDays(-1), inDays(0), inDays(0.5), inDays(1), inDays(3), inDays(29), inDays(59), inDays(61)], now)).toEqual({
      never: 1,
      expired: 2,
      '1d': 2,
      '7d': 1,
      '30d': 1,
      '60d': 1,
      later: 1,
    });
  });
});
