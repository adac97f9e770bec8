import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { COEXISTENCE_SYNC_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
import type { CoexistenceSyncRecord } from './coexistence.repository';
import { CoexistenceService, TemporarySyncFailure } from './coexistence.service';

const SYNC_JOB = 'request-sync';

interface SyncJobData {
  phoneNumberId: string;
}

/** Queues the sync requests of a coexistence number: one job per number and onboarding. */
@Injectable()
export class CoexistenceJobs {
  private readonly logger = new Logger(CoexistenceJobs.name);

  constructor(@InjectQueue(COEXISTENCE_SYNC_QUEUE) private readonly queue: Queue) {}

  /**
   * The job id names the sync record and its onboarding, so a second connect of the same onboarding
   * queues nothing new, while a record made again (the number disconnected and deleted, or
   * connected by another tenant) gets its own job even within the same second of Meta's clock.
   */
  async enqueue(record: Pick<CoexistenceSyncRecord, '_id' | 'phoneNumberId' | 'onboardedAt'>): Promise<void> {
    try {
      await this.queue.add(SYNC_JOB, { phoneNumberId: record.phoneNumberId } satisfies SyncJobData, { jobId: `sync-${String(record._id)}-${record.onboardedAt.getTime()}` });
    } catch (error) {
      this.logger.warn(`The coexistence sync of ${record.phoneNumberId} could not be queued: ${(error as Error).message}`);
    }
  }
}

/** Runs the requests (worker instances); temporary Meta errors retry with the queue's backoff. */
@Processor(COEXISTENCE_SYNC_QUEUE, WORKER_OPTIONS)
export class CoexistenceSyncProcessor extends WorkerHost {
  constructor(private readonly coexistence: CoexistenceService) {
    super();
  }

  async process(job: Job<SyncJobData>): Promise<void> {
    try {
      await this.coexistence.requestSync(job.data.phoneNumberId);
    } catch (error) {
      if (error instanceof TemporarySyncFailure) throw error;
      throw new UnrecoverableError((error as Error).message);
    }
  }
}
