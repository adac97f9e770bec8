import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { COEXISTENCE_SYNC_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
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

  /** The job id names the number and its onboarding, so a second connect queues nothing new. */
  async enqueue(phoneNumberId: string, onboardedAt: Date): Promise<void> {
    try {
      await this.queue.add(SYNC_JOB, { phoneNumberId } satisfies SyncJobData, { jobId: `sync-${phoneNumberId}-${onboardedAt.getTime()}` });
    } catch (error) {
      this.logger.warn(`The coexistence sync of ${phoneNumberId} could not be queued: ${(error as Error).message}`);
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
