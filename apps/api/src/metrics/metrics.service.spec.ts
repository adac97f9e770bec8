import { Logger } from '@nestjs/common';
import type { MockProxy } from 'jest-mock-extended';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { ApiConfig } from '../config/api-config';
import { strictMock } from '../testing/strict-mock';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  let deliveries: MockProxy<Counter<'outcome'>>;
  let applyDelay: MockProxy<Histogram<'outcome'>>;
  let onboarding: MockProxy<Counter<'flow' | 'step' | 'outcome'>>;
  let credentials: MockProxy<Gauge<'status'>>;
  let byExpiry: MockProxy<Gauge<'expires_in'>>;
  let metrics: MetricsService;

  beforeEach(() => {
    deliveries = strictMock('webhookDeliveries');
    applyDelay = strictMock('webhookApplyDelaySeconds');
    onboarding = strictMock('onboardingAttempts');
    credentials = strictMock('credentials');
    byExpiry = strictMock('credentialsByExpiry');
    const unused = (name: string) => strictMock<never>(name);
    metrics = new MetricsService(
      { INSTANCE_ROLE: 'worker', DATABASE_TIMEOUT_MS: 50 } as ApiConfig,
      deliveries,
      unused('webhookIngestSeconds'),
      applyDelay,
      unused('graphRequests'),
      unused('graphRequestSeconds'),
      credentials,
      byExpiry,
      onboarding,
      unused('queueJobs'),
      unused('queueJobFailures'),
      unused('queueJobSeconds'),
      unused('socketConnections'),
    );
    deliveries.inc.mockReturnValue();
    onboarding.inc.mockReturnValue();
  });

  it('counts an onboarding step by what it returned, or as failed when it threw', async () => {
    await metrics.onboarding(
      'oauth',
      'confirm',
      async () => ({ status: 'partial' }),
      (view) => view.status,
    );
    await metrics.onboarding('import', 'consent', async () => 'done');
    const broken = new Error('refused');
    await expect(metrics.onboarding('embedded_signup', 'consent', () => Promise.reject(broken))).rejects.toBe(broken);

    expect(onboarding.inc.mock.calls).toEqual([
      [{ flow: 'oauth', step: 'confirm', outcome: 'partial' }],
      [{ flow: 'import', step: 'consent', outcome: 'succeeded' }],
      [{ flow: 'embedded_signup', step: 'consent', outcome: 'failed' }],
    ]);
  });

  it('counts applied deliveries and their wait, never a negative one (clocks of two instances differ)', () => {
    applyDelay.observe.mockReturnValue();
    metrics.webhookApplied('applied', -0.5);
    expect(deliveries.inc).toHaveBeenCalledWith({ outcome: 'applied' }, 1);
    expect(applyDelay.observe).toHaveBeenCalledWith({ outcome: 'applied' }, 0);
  });

  it('counts nothing for zero deliveries', () => {
    metrics.webhookDelivery('duplicate', 0);
    expect(deliveries.inc).not.toHaveBeenCalled();
  });

  it('exports every credential status, zeros included', () => {
    credentials.set.mockReturnValue();
    byExpiry.set.mockReturnValue();
    metrics.credentialCounts({ active: 3 }, { expired: 0, '1d': 1, '7d': 0, '30d': 0, '60d': 2, later: 0, never: 0 });
    expect(credentials.set.mock.calls).toEqual([
      [{ status: 'active' }, 3],
      [{ status: 'expiring' }, 0],
      [{ status: 'needs_reauth' }, 0],
      [{ status: 'revoked' }, 0],
    ]);
    expect(byExpiry.set).toHaveBeenCalledWith({ expires_in: '60d' }, 2);
  });

  it('still answers a scrape when a collector fails or hangs, saying which kept its last values', async () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    metrics.onScrape('queues', () => new Promise(() => undefined));
    metrics.onScrape('credentials', () => Promise.reject(new Error('database away')));

    await expect(metrics.scrape()).resolves.toEqual(expect.any(String));

    expect(warned.mock.calls.map(([message]) => message)).toEqual(
      expect.arrayContaining(['Metrics: queues kept its last values (no answer within 50 ms)', 'Metrics: credentials kept its last values (database away)']),
    );
    warned.mockRestore();
  });
});
