import { Processor, WorkerHost } from '@nestjs/bullmq';
import { MetaGraphError } from '@waba/meta-graph';
import type { Job } from 'bullmq';
import { TEMPLATE_SYNC_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
import type { SyncJobData } from './template-sync-jobs';
import { TemplatesService } from './templates.service';

/** The template reader (worker instances). A refusal by Meta other than a temporary one is recorded, not retried. */
@Processor(TEMPLATE_SYNC_QUEUE, { concurrency: 2, ...WORKER_OPTIONS })
export class TemplateSyncProcessor extends WorkerHost {
  constructor(private readonly templates: TemplatesService) {
    super();
  }

  async process(job: Job<SyncJobData>): Promise<unknown> {
    try {
      return await this.templates.sync(job.data.accountId, job.data.wabaId);
    } catch (error) {
      if (error instanceof MetaGraphError && error.kind !== 'temporary') return { failed: error.message };
      throw error;
    }
  }
}
