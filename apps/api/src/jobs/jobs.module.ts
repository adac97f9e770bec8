/**
 * BullMQ, the one job engine: the connection and every queue, registered once for the whole app.
 * Feature modules inject queues with `@InjectQueue(name)`; their processors are only registered
 * in processes whose INSTANCE_ROLE runs jobs (app.module.ts).
 */
import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiConfig } from '../config/api-config';
import { bullConnection } from '../redis/redis-connection';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from './job-queues';
import { JobMetrics } from './job-metrics';
import { ScheduledTasks, ScheduledTasksProcessor } from './scheduled-tasks';

@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => ({ connection: bullConnection(config), prefix: `${config.REDIS_KEY_PREFIX}:jobs` }),
    }),
    ...QUEUE_NAMES.map((name) =>
      BullModule.registerQueueAsync({
        name,
        inject: [ApiConfig],
        useFactory: (config: ApiConfig) => ({ connection: bullConnection(config), prefix: `${config.REDIS_KEY_PREFIX}:jobs`, defaultJobOptions: DEFAULT_JOB_OPTIONS[name] }),
      }),
    ),
  ],
  providers: [ScheduledTasks, JobMetrics],
  exports: [BullModule, ScheduledTasks],
})
export class JobsModule {}

/** The runner of the scheduled tasks, in processes whose INSTANCE_ROLE runs jobs. */
@Module({ providers: [ScheduledTasksProcessor] })
export class ScheduledTasksWorkerModule {}
