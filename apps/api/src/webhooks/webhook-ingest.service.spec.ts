import type { MockProxy } from 'jest-mock-extended';
import { signWebhookPayload } from '@waba/meta-graph';
import { sha256Hex } from '../common/crypto/sha256';
import { UnauthorizedError } from '../common/errors/domain-errors';
import type { ApiConfig } from '../config/api-config';
import type { MetricsService } from '../metrics/metrics.service';
import { aMessagesChange, anInboundMessage, aWebhookPayload } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { IngestPressure } from './ingest-pressure';
import type { WebhookApplication } from './webhook-application.service';
import { WebhookIngestService } from './webhook-ingest.service';
import type { WebhookJobs } from './webhook-jobs';
import type { WebhooksRepository } from './webhooks.repository';

const SECRET = 'app-secret';
const VERIFY_TOKEN = 'verify-me';

describe('WebhookIngestService', () => {
  let clock: FakeClock;
  let repository: MockProxy<WebhooksRepository>;
  let jobs: MockProxy<WebhookJobs>;
  let application: MockProxy<WebhookApplication>;
  let metrics: MockProxy<MetricsService>;
  let pressure: MockProxy<IngestPressure>;
  let service: WebhookIngestService;
  let endpointBusy: () => boolean;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<WebhooksRepository>('repository');
    jobs = strictMock<WebhookJobs>('jobs');
    application = strictMock<WebhookApplication>('application');
    metrics = strictMock<MetricsService>('metrics');
    application.yieldTo.mockImplementation((busy) => (endpointBusy = busy));
    metrics.webhookDelivery.mockReturnValue();
    metrics.webhookIngested.mockReturnValue();
    pressure = strictMock<IngestPressure>('pressure');
    service = new WebhookIngestService(repository, jobs, application, { META_APP_SECRET: SECRET, META_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN } as ApiConfig, clock, metrics, pressure);
  });

  const body = (payload: unknown) => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const aDelivery = () => body(aWebhookPayload([aMessagesChange({ messages: [anInboundMessage()] })]));

  it.each([
    ['answers the challenge of a subscribe with our verify token', 'subscribe', VERIFY_TOKEN, 'challenge-1', 'challenge-1'],
    ['refuses another verify token', 'subscribe', 'guess', 'challenge-1', null],
    ['refuses a mode other than subscribe', 'unsubscribe', VERIFY_TOKEN, 'challenge-1', null],
    ['refuses a challenge that is not text', 'subscribe', VERIFY_TOKEN, ['a'], null],
  ])('%s', (_case, mode, token, challenge, expected) => {
    expect(service.verifyHandshake(mode, token, challenge)).toBe(expected);
  });

  it.each([
    ['missing', undefined, 'The X-Hub-Signature-256 header is missing'],
    ['made with another secret', signWebhookPayload(aDelivery(), 'not-our-secret'), 'The X-Hub-Signature-256 signature does not match the body'],
  ])('refuses a delivery whose signature is %s, storing nothing', async (_case, signature, message) => {
    await expect(service.ingest(aDelivery(), signature)).rejects.toThrow(new UnauthorizedError(message));
    expect(metrics.webhookDelivery).toHaveBeenCalledWith('invalid_signature');
  });

  it('stores a signed delivery under its SHA-256, received now, then queues it; busy while storing', async () => {
    const raw = aDelivery();
    let busyWhileStoring = false;
    repository.insertInboxEntries.mockImplementation(async (entries) => {
      busyWhileStoring = endpointBusy();
      return entries.map(() => true);
    });
    jobs.enqueue.mockResolvedValue();

    await service.ingest(raw, signWebhookPayload(raw, SECRET));

    expect(repository.insertInboxEntries).toHaveBeenCalledWith([{ _id: sha256Hex(raw), rawBody: raw.toString('utf8'), sizeBytes: raw.length, receivedAt: clock.now(), acceptId: expect.any(String) }]);
    expect(jobs.enqueue).toHaveBeenCalledWith(repository.insertInboxEntries.mock.calls[0][0]);
    expect(busyWhileStoring).toBe(true);
    expect(endpointBusy()).toBe(false);
    expect(metrics.webhookDelivery).toHaveBeenCalledWith('received');
  });

  it('does not queue the same bytes again while they wait in the inbox, and counts them as a duplicate', async () => {
    const raw = aDelivery();
    repository.insertInboxEntries.mockResolvedValue([false]);
    jobs.enqueue.mockResolvedValue();

    await service.ingest(raw, signWebhookPayload(raw, SECRET));

    expect(jobs.enqueue).toHaveBeenCalledWith([]);
    expect(metrics.webhookDelivery).toHaveBeenCalledWith('duplicate', 1);
  });

  it('acknowledges a signed body that is not a JSON object, archived as rejected instead of queued', async () => {
    const raw = body('not json');
    repository.archiveDeliveries.mockResolvedValue([true]);

    await service.ingest(raw, signWebhookPayload(raw, SECRET));

    expect(repository.archiveDeliveries).toHaveBeenCalledWith([expect.objectContaining({ bodySha256: sha256Hex(raw), status: 'rejected', appliedAt: null })]);
    expect(metrics.webhookDelivery).toHaveBeenCalledWith('rejected');
  });

  it('says it is saturated once deliveries keep queueing up to be stored, and not for a few', async () => {
    let release: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => (release = resolve));
    repository.insertInboxEntries.mockImplementation(async (entries) => {
      await stored;
      return entries.map(() => true);
    });
    jobs.enqueue.mockResolvedValue();
    pressure.markSaturated.mockReturnValue();
    const deliveries = Array.from({ length: 100 }, (_, i) => body(aWebhookPayload([aMessagesChange({ messages: [anInboundMessage({ id: `wamid.${i}` })] })])));

    const first = deliveries.slice(0, 10).map((raw) => service.ingest(raw, signWebhookPayload(raw, SECRET)));
    expect(pressure.markSaturated).not.toHaveBeenCalled();
    const rest = deliveries.slice(10).map((raw) => service.ingest(raw, signWebhookPayload(raw, SECRET)));
    expect(pressure.markSaturated).toHaveBeenCalled();

    release();
    await Promise.all([...first, ...rest]);
  });
});
