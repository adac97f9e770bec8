import { Logger } from '@nestjs/common';
import type { MockProxy } from 'jest-mock-extended';
import type { MetricsService } from '../metrics/metrics.service';
import type { IngestPressure } from './ingest-pressure';
import { aMessagesChange, anInboundMessage, anInboxEntry, aWebhookPayload, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import { archiveRecord, CONCURRENT_BATCHES, WebhookApplication, type AppliedDelivery } from './webhook-application.service';
import { RouteLookup, type DeliveryPlan, type WebhookApplier } from './webhook-applier.service';
import type { WebhooksRepository } from './webhooks.repository';

const APPLIED: DeliveryPlan = { unroutableIds: [], events: [], actions: [] };
const RECEIVED_AT = new Date('2026-11-25T11:59:58Z');

describe('WebhookApplication', () => {
  let clock: FakeClock;
  let repository: MockProxy<WebhooksRepository>;
  let applier: MockProxy<WebhookApplier>;
  let metrics: MockProxy<MetricsService>;
  let application: WebhookApplication;
  let routes: RouteLookup;
  let pressure: MockProxy<IngestPressure>;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<WebhooksRepository>('repository');
    applier = strictMock<WebhookApplier>('applier');
    metrics = strictMock<MetricsService>('metrics');
    pressure = strictMock<IngestPressure>('pressure');
    pressure.isSaturated.mockResolvedValue(false);
    application = new WebhookApplication(repository, applier, clock, metrics, pressure);

    routes = new RouteLookup(strictMock('numbers'));
    applier.routes.mockReturnValue(routes);
    applier.execute.mockResolvedValue();
    repository.deleteInboxEntries.mockResolvedValue();
    metrics.webhookApplied.mockReturnValue();
  });

  const delivery = (body: unknown, overrides: Parameters<typeof anInboxEntry>[1] = {}, attempt = 1): AppliedDelivery => ({
    entry: anInboxEntry(body, { receivedAt: RECEIVED_AT, ...overrides }),
    attempt,
  });
  const aMessage = (id: string) => aWebhookPayload([aMessagesChange({ messages: [anInboundMessage({ id })] })]);

  it('archives an applied delivery, carries out its plan, empties the inbox and counts how long it waited', async () => {
    const job = delivery(aMessage('m1'));
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockResolvedValue([true]);

    await application.apply(job);

    expect(applier.plan).toHaveBeenCalledWith(JSON.parse(job.entry.rawBody), job.entry._id, routes);
    expect(repository.archiveDeliveries).toHaveBeenCalledWith([archiveRecord(job.entry, APPLIED, clock.now(), 1)]);
    expect(archiveRecord(job.entry, APPLIED, clock.now())).toMatchObject({ status: 'applied', error: null });
    expect(applier.execute).toHaveBeenCalledWith([APPLIED]);
    expect(repository.deleteInboxEntries).toHaveBeenCalledWith([job.entry._id]);
    expect(metrics.webhookApplied).toHaveBeenCalledWith('applied', 2);
  });

  it('archives a body that is not a JSON object as rejected, without planning it', async () => {
    const job = delivery('[1,2,3]');
    repository.archiveDeliveries.mockResolvedValue([true]);

    await application.apply(job);

    expect(repository.archiveDeliveries).toHaveBeenCalledWith([expect.objectContaining({ status: 'rejected', error: 'The body is not a JSON object', appliedAt: clock.now() })]);
    expect(applier.execute).toHaveBeenCalledWith([]);
    expect(metrics.webhookApplied).not.toHaveBeenCalled();
  });

  it('keeps a delivery nobody owns as unroutable, naming the ids, and still applies what it could', async () => {
    const job = delivery(aMessage('m1'));
    const plan: DeliveryPlan = { ...APPLIED, unroutableIds: [PHONE_NUMBER_ID] };
    applier.plan.mockResolvedValue(plan);
    repository.archiveDeliveries.mockResolvedValue([true]);

    await application.apply(job);

    expect(repository.archiveDeliveries).toHaveBeenCalledWith([expect.objectContaining({ status: 'unroutable', error: `No tenant owns ${PHONE_NUMBER_ID}`, unroutableIds: [PHONE_NUMBER_ID] })]);
    expect(applier.execute).toHaveBeenCalledWith([plan]);
    expect(metrics.webhookApplied).toHaveBeenCalledWith('unroutable', 2);
  });

  it('counts the same bytes accepted again as a duplicate and does not apply them twice', async () => {
    const job = delivery(aMessage('m1'), { acceptId: 'accept-2' });
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockResolvedValue([false]);
    repository.archivedOutcome.calledWith(job.entry._id).mockResolvedValue({ acceptId: 'accept-1', status: 'applied', unroutableIds: [] });

    await application.apply(job);

    expect(applier.execute).toHaveBeenCalledWith([]);
    expect(repository.deleteInboxEntries).toHaveBeenCalledWith([job.entry._id]);
    expect(metrics.webhookApplied).toHaveBeenCalledWith('duplicate', 2);
  });

  it('finishes a resumed delivery (same acceptance) and rewrites its archived outcome only when it changed', async () => {
    const job = delivery(aMessage('m1'), { acceptId: 'accept-1' });
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockResolvedValue([false]);
    repository.archivedOutcome.mockResolvedValueOnce({ acceptId: 'accept-1', status: 'unroutable', unroutableIds: [PHONE_NUMBER_ID] });
    repository.updateArchivedOutcome.mockResolvedValue();

    await application.apply(job);
    expect(repository.updateArchivedOutcome).toHaveBeenCalledWith(job.entry._id, expect.objectContaining({ status: 'applied', unroutableIds: [] }));
    expect(applier.execute).toHaveBeenCalledWith([APPLIED]);

    // Applied again with the same outcome: nothing to rewrite.
    repository.archivedOutcome.mockResolvedValueOnce({ acceptId: 'accept-1', status: 'applied', unroutableIds: [] });
    await application.apply(job);
    expect(repository.updateArchivedOutcome).toHaveBeenCalledTimes(1);
  });

  it('applies the deliveries that queued meanwhile as one batch, and when it fails, one by one so only the bad one fails', async () => {
    // The first ones each take a free batch slot (the applier was idle); good and bad queue behind them.
    const firsts = Array.from({ length: CONCURRENT_BATCHES }, (_, i) => delivery(aMessage(`first-${i}`)));
    const [good, bad] = [delivery(aMessage('m2')), delivery(aMessage('m3'))];
    const broken = new Error('plan broke');
    applier.plan.mockImplementation(async (_envelope, key) => {
      if (key === bad.entry._id) throw broken;
      return APPLIED;
    });
    repository.archiveDeliveries.mockImplementation(async (records) => records.map(() => true));

    const results = await Promise.allSettled([...firsts, good, bad].map((d) => application.apply(d)));
    await application.onApplicationShutdown();

    expect(results.map((r) => r.status)).toEqual([...firsts.map(() => 'fulfilled'), 'fulfilled', 'rejected']);
    expect((results.at(-1) as PromiseRejectedResult).reason).toBe(broken);
    // Each first alone, then good+bad together (failed), then each on its own.
    expect(applier.routes).toHaveBeenCalledTimes(CONCURRENT_BATCHES + 3);
    // The bad one stays in the inbox for its retry.
    expect(repository.deleteInboxEntries.mock.calls.flat(2).sort()).toEqual([...firsts, good].map((d) => d.entry._id).sort());
  });

  it('empties the inbox one statement at a time, each taking what was applied while the previous one ran, without holding the jobs', async () => {
    const firsts = Array.from({ length: CONCURRENT_BATCHES }, (_, i) => delivery(aMessage(`first-${i}`)));
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockImplementation(async (records) => records.map(() => true));
    let finishFirstDelete!: () => void;
    let running = 0;
    let mostAtOnce = 0;
    repository.deleteInboxEntries.mockImplementation(async () => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      if (repository.deleteInboxEntries.mock.calls.length === 1) await new Promise<void>((resolve) => (finishFirstDelete = resolve));
      running--;
    });

    // Every job is done while the first delete still runs.
    await Promise.all(firsts.map((d) => application.apply(d)));
    expect(repository.deleteInboxEntries).toHaveBeenCalledTimes(1);
    finishFirstDelete();
    await application.onApplicationShutdown();

    expect(mostAtOnce).toBe(1);
    expect(repository.deleteInboxEntries.mock.calls).toEqual([[[firsts[0].entry._id]], [firsts.slice(1).map((d) => d.entry._id)]]);
  });

  it('leaves an entry whose delete failed for the reconciliation, with one warning per statement', async () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockImplementation(async (records) => records.map(() => true));
    repository.deleteInboxEntries.mockRejectedValue(new Error('connection reset'));

    await Promise.all([delivery(aMessage('m1')), delivery(aMessage('m2'))].map((d) => application.apply(d)));
    await application.onApplicationShutdown();

    expect(warned.mock.calls.map(([message]) => message)).toEqual(expect.arrayContaining(['Applied webhook deliveries stay in the inbox until the reconciliation: connection reset']));
    expect(new Set(warned.mock.calls.map(([message]) => message)).size).toBe(warned.mock.calls.length);
    warned.mockRestore();
  });

  it('fails the whole batch when the database is away, so every job is retried', async () => {
    const firsts = Array.from({ length: CONCURRENT_BATCHES }, (_, i) => delivery(aMessage(`first-${i}`)));
    const [second, third] = [delivery(aMessage('m2')), delivery(aMessage('m3'))];
    applier.plan.mockResolvedValue(APPLIED);
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoNetworkError' });
    firsts.forEach(() => repository.archiveDeliveries.mockResolvedValueOnce([true]));
    repository.archiveDeliveries.mockRejectedValue(outage);

    const results = await Promise.allSettled([...firsts, second, third].map((d) => application.apply(d)));

    expect(results.map((r) => r.status)).toEqual([...firsts.map(() => 'fulfilled'), 'rejected', 'rejected']);
    // No one-by-one retry: the batch of the two was tried once.
    expect(repository.archiveDeliveries).toHaveBeenCalledTimes(CONCURRENT_BATCHES + 1);
  });

  it('gives way while the endpoint is storing deliveries, but not for long', async () => {
    const job = delivery(aMessage('m1'));
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockResolvedValue([true]);
    const started = Date.now();
    // Busy for 2 s: applying must go ahead well before that (it waits at most 100 ms).
    const busy = jest.fn(() => Date.now() - started < 2_000);
    application.yieldTo(busy);

    await application.apply(job);

    expect(busy).toHaveBeenCalled();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(repository.deleteInboxEntries).toHaveBeenCalled();
  });

  it('holds back while an endpoint on some instance is saturated, and applies once it is not', async () => {
    const job = delivery(aMessage('m1'));
    applier.plan.mockResolvedValue(APPLIED);
    repository.archiveDeliveries.mockResolvedValue([true]);
    pressure.isSaturated.mockResolvedValueOnce(true).mockResolvedValueOnce(true).mockResolvedValue(false);

    await application.apply(job);

    expect(pressure.isSaturated).toHaveBeenCalledTimes(3);
    expect(repository.deleteInboxEntries).toHaveBeenCalledWith([job.entry._id]);
  });

  describe('setAside', () => {
    let logged: jest.SpyInstance;
    beforeEach(() => {
      logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => logged.mockRestore());

    it('archives a delivery that failed its last attempt as rejected, says how often it was tried, and empties the inbox', async () => {
      const job = delivery(aMessage('m1'), {}, 5);
      repository.archiveDeliveries.mockResolvedValue([true]);
      metrics.webhookDelivery.mockReturnValue();

      await application.setAside(job, new Error('no luck'));

      expect(repository.archiveDeliveries).toHaveBeenCalledWith([expect.objectContaining({ status: 'rejected', attempts: 5, error: 'Applying failed 5 times: no luck', appliedAt: clock.now() })]);
      expect(repository.deleteInboxEntries).toHaveBeenCalledWith([job.entry._id]);
      expect(metrics.webhookDelivery).toHaveBeenCalledWith('rejected');
      expect(logged).toHaveBeenCalledWith({ err: expect.any(Error), delivery: job.entry._id }, 'A webhook delivery could not be applied');
    });

    it('overwrites the archived outcome when an earlier attempt archived the delivery', async () => {
      const job = delivery(aMessage('m1'), {}, 5);
      repository.archiveDeliveries.mockResolvedValue([false]);
      repository.updateArchivedOutcome.mockResolvedValue();
      metrics.webhookDelivery.mockReturnValue();

      await application.setAside(job, new Error('no luck'));

      expect(repository.updateArchivedOutcome).toHaveBeenCalledWith(job.entry._id, expect.objectContaining({ status: 'rejected', error: 'Applying failed 5 times: no luck' }));
    });
  });
});
