import { Injectable } from '@nestjs/common';
import { verifyWebhookSignature } from '@waba/meta-graph';
import { randomUUID } from 'node:crypto';
import { sameSecret } from '../common/auth/csrf';
import { GroupCommit } from '../common/batching/group-commit';
import { Clock } from '../common/clock/clock';
import { sha256Hex } from '../common/crypto/sha256';
import { UnauthorizedError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { MetricsService } from '../metrics/metrics.service';
import { parseWebhookBody } from '@waba/meta-graph';
import { IngestPressure } from './ingest-pressure';
import { archiveRecord, WebhookApplication } from './webhook-application.service';
import { WebhookJobs } from './webhook-jobs';
import { WebhooksRepository, type InboxRecord } from './webhooks.repository';

/**
 * The endpoint counts as saturated when, over one window, deliveries found this many others on
 * average waiting to be stored on arrival: about the connections Meta holds open when demand
 * exceeds what we can store (at 300/s a handful wait, with short spikes that this average hides).
 */
const SATURATED_IN_FLIGHT = 25;
const SATURATION_WINDOW_MS = 250;

/**
 * The hot path of `POST /api/webhooks/whatsapp`: check the signature over the raw bytes, store the
 * delivery in the inbox (MongoDB, before the 200), then queue it as a job for a worker to apply.
 * Deliveries arriving together share one insert and one enqueue (group commit); each request
 * waits until its own delivery is stored, never for Redis.
 */
@Injectable()
export class WebhookIngestService {
  private readonly crowding = { since: 0, arrivals: 0, waiting: 0 };
  private readonly inbox = new GroupCommit<InboxRecord, boolean>((entries) => this.store(entries), { maxBatch: 50, maxConcurrentWrites: 2 });

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly jobs: WebhookJobs,
    application: WebhookApplication,
    private readonly config: ApiConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly pressure: IngestPressure,
  ) {
    // Answering Meta comes first: applying (when this process also runs jobs) waits while deliveries are being stored.
    application.yieldTo(() => this.inbox.inFlight > 0);
  }

  verifyHandshake(mode: unknown, verifyToken: unknown, challenge: unknown): string | null {
    const tokenMatches = typeof verifyToken === 'string' && sameSecret(sha256Hex(verifyToken), sha256Hex(this.config.META_WEBHOOK_VERIFY_TOKEN));
    return mode === 'subscribe' && tokenMatches && typeof challenge === 'string' ? challenge : null;
  }

  /** Resolves once the delivery is durably stored (or known); throws when the signature is wrong. */
  async ingest(rawBody: Buffer, signature: string | undefined): Promise<void> {
    const started = performance.now();
    if (!verifyWebhookSignature(rawBody, signature, this.config.META_APP_SECRET)) {
      this.metrics.webhookDelivery('invalid_signature');
      throw new UnauthorizedError(signature ? 'The X-Hub-Signature-256 signature does not match the body' : 'The X-Hub-Signature-256 header is missing');
    }
    const entry: InboxRecord = {
      _id: sha256Hex(rawBody),
      rawBody: rawBody.toString('utf8'),
      sizeBytes: rawBody.length,
      receivedAt: this.clock.now(),
      acceptId: randomUUID(),
    };
    // Malformed JSON is archived as rejected and acknowledged: Meta would otherwise resend it for 7 days.
    this.metrics.webhookDelivery('received');
    if (!parseWebhookBody(entry.rawBody)) {
      await this.repository.archiveDeliveries([archiveRecord(entry, null, null)]);
      this.metrics.webhookDelivery('rejected');
    } else {
      this.noteArrival();
      await this.inbox.add(entry);
    }
    this.metrics.webhookIngested((performance.now() - started) / 1000);
  }

  /** Tells workers to hold back applying while this endpoint stays saturated (ingest-pressure.ts). */
  private noteArrival(): void {
    const now = Date.now();
    const window = this.crowding;
    if (now - window.since >= SATURATION_WINDOW_MS) Object.assign(window, { since: now, arrivals: 0, waiting: 0 });
    window.arrivals++;
    window.waiting += this.inbox.inFlight;
    // At least as many arrivals as the threshold: one slow write is not saturation.
    if (window.arrivals >= SATURATED_IN_FLIGHT && window.waiting / window.arrivals >= SATURATED_IN_FLIGHT) this.pressure.markSaturated();
  }

  /** One insert for the deliveries that arrived together; the new ones are then queued (not awaited). */
  private async store(entries: InboxRecord[]): Promise<boolean[]> {
    const stored = await this.repository.insertInboxEntries(entries);
    // Not stored: the same bytes are already in the inbox (Meta resent them before they were applied).
    this.metrics.webhookDelivery('duplicate', stored.filter((isNew) => !isNew).length);
    void this.jobs.enqueue(entries.filter((_, i) => stored[i]));
    return stored;
  }
}
