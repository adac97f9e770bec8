import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { NUMBER_HEALTH_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
import { NumberHealthService } from './number-health.service';

interface RefreshJobData {
  accountId: string;
  wabaId: string;
}

/** Webhooks come in bursts: a refresh waits this long, so a burst about one WABA is one Graph read. */
const WEBHOOK_SETTLE_MS = 2_000;
const ADD_CHUNK = 500;

/**
 * Number-health refreshes as jobs, one per WABA and time slot: the job id is the WABA's and the
 * slot's, and BullMQ ignores an add whose id exists, so a webhook burst, the schedule and several
 * instances queue one read per slot; a failed job (kept for operators) never blocks a later slot.
 */
@Injectable()
export class NumberHealthJobs {
  constructor(@InjectQueue(NUMBER_HEALTH_QUEUE) private readonly queue: Queue) {}

  /** A webhook said something about the WABA changed (account, quality, name). */
  async refreshSoon(accountId: string, wabaId: string): Promise<void> {
    await this.queue.add('refresh', { accountId, wabaId } satisfies RefreshJobData, { jobId: jobIdOf(wabaId, 'webhook', WEBHOOK_SETTLE_MS), delay: WEBHOOK_SETTLE_MS });
  }

  /** The schedule: every connected WABA of every tenant. */
  async refreshAll(wabas: Array<{ accountId: string; wabaId: string }>, everyMs: number): Promise<{ queued: number }> {
    for (let i = 0; i < wabas.length; i += ADD_CHUNK) {
      await this.queue.addBulk(wabas.slice(i, i + ADD_CHUNK).map((data) => ({ name: 'refresh', data, opts: { jobId: jobIdOf(data.wabaId, 'schedule', everyMs) } })));
    }
    return { queued: wabas.length };
  }
}

function jobIdOf(wabaId: string, cause: 'webhook' | 'schedule', slotMs: number): string {
  return `${cause}-${wabaId}-${Math.floor(Date.now() / slotMs)}`;
}

/** Runs the refreshes (processes whose INSTANCE_ROLE runs jobs). */
@Processor(NUMBER_HEALTH_QUEUE, { ...WORKER_OPTIONS, concurrency: 4 })
export class NumberHealthProcessor extends WorkerHost {
  constructor(private readonly health: NumberHealthService) {
    super();
  }

  async process(job: Job<RefreshJobData>): Promise<{ numbers: number }> {
    const views = await this.health.refreshWaba(job.data.accountId, job.data.wabaId);
    return { numbers: views.length };
  }
}
