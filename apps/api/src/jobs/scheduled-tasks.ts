import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { MAINTENANCE_QUEUE, WORKER_OPTIONS } from './job-queues';

interface ScheduledTask {
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Periodic upkeep that feature modules own (retention clean-ups and the like): each module
 * registers its task here in `onModuleInit`; worker instances schedule them on the maintenance
 * queue, so each runs once per period across all instances, retried and visible like any job.
 */
@Injectable()
export class ScheduledTasks {
  private readonly tasks = new Map<string, ScheduledTask>();

  register(name: string, everyMs: number, run: () => Promise<unknown>): void {
    if (this.tasks.has(name)) throw new Error(`Scheduled task ${name} is registered twice`);
    this.tasks.set(name, { everyMs, run });
  }

  entries(): Array<[string, ScheduledTask]> {
    return [...this.tasks];
  }

  find(name: string): ScheduledTask | undefined {
    return this.tasks.get(name);
  }
}

/** Runs the registered tasks (worker instances), one BullMQ job scheduler each. */
@Processor(MAINTENANCE_QUEUE, WORKER_OPTIONS)
export class ScheduledTasksProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduledTasksProcessor.name);

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
    private readonly tasks: ScheduledTasks,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Idempotent across instances: the same scheduler id is upserted, BullMQ runs it once per period.
    for (const [name, task] of this.tasks.entries()) await this.queue.upsertJobScheduler(name, { every: task.everyMs }, { name });
  }

  async process(job: Job): Promise<unknown> {
    const task = this.tasks.find(job.name);
    if (!task) throw new Error(`No scheduled task named ${job.name}`);
    const result = await task.run();
    this.logger.log(`${job.name}: ${JSON.stringify(result)}`);
    return result;
  }
}
