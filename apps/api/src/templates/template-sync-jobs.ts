import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { pendingJobs, TEMPLATE_SYNC_QUEUE } from '../jobs/job-queues';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';

const SYNC_JOB = 'sync-waba';
const NEW_TEMPLATE_READ_DELAY_MS = 2_000;

export interface SyncJobData {
  accountId: string;
  wabaId: string;
}

/** Queues full reads of WABAs' templates; never throws (a read missed now is made by the schedule). */
@Injectable()
export class TemplateSyncJobs {
  private readonly logger = new Logger(TemplateSyncJobs.name);

  constructor(
    @InjectQueue(TEMPLATE_SYNC_QUEUE) private readonly queue: Queue,
    private readonly numbers: PhoneNumbersService,
  ) {}

  async queueSync(accountId: string, wabaId: string): Promise<void> {
    await this.queue.add(SYNC_JOB, { accountId, wabaId } satisfies SyncJobData, { jobId: `sync:${accountId}:${wabaId}` }).catch((error: Error) => {
      this.logger.warn(`Could not queue reading WABA ${wabaId}'s templates: ${error.message}`);
    });
  }

  /**
   * A webhook named a template we did not know: a read a little later, under its own id (a read
   * already running may have listed before the template existed). Webhooks for several new
   * templates within the delay share one read.
   */
  async queueSyncAfterWebhook(accountId: string, wabaId: string): Promise<void> {
    const opts = { jobId: `sync-after-webhook:${accountId}:${wabaId}`, delay: NEW_TEMPLATE_READ_DELAY_MS };
    await this.queue.add(SYNC_JOB, { accountId, wabaId } satisfies SyncJobData, opts).catch((error: Error) => {
      this.logger.warn(`Could not queue reading WABA ${wabaId}'s templates: ${error.message}`);
    });
  }

  /** The schedule: one job per connected WABA. */
  async queueAll(): Promise<{ queued: number }> {
    const wabas = await this.numbers.connectedWabas();
    await this.queue.addBulk(wabas.map(({ accountId, wabaId }) => ({ name: SYNC_JOB, data: { accountId, wabaId }, opts: { jobId: `sync:${accountId}:${wabaId}` } })));
    return { queued: wabas.length };
  }

  /** Reads queued, running or waiting for a retry (tests wait for 0). */
  pending(): Promise<number> {
    return pendingJobs(this.queue);
  }
}
