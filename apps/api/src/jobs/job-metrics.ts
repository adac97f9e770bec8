import { getQueueToken, WorkerHost } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { MetricsService } from '../metrics/metrics.service';
import { RedisClient } from '../redis/redis.module';
import { QUEUE_NAMES } from './job-queues';

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * BullMQ in the metrics: every queue's depth, read from Redis at scrape (any role can report it),
 * and the run time and failures of the jobs this process's workers run (from their events).
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
    private readonly redis: RedisClient,
  ) {}

  onApplicationBootstrap(): void {
    const queues = QUEUE_NAMES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    this.metrics.onScrape('queue depths', async () => {
      // While Redis is away its commands would wait for it: the gauges keep their last values.
      if (!this.redis.ready) throw new Error('Redis is not connected');
      await Promise.all(queues.map(async (queue) => this.metrics.queueDepth(queue.name, await queue.getJobCounts(...DEPTH_STATES))));
    });
    for (const host of this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown)) {
      if (!(host instanceof WorkerHost)) continue;
      const worker = host.worker;
      const seconds = (job: Job | undefined) => (job?.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : undefined);
      worker.on('completed', (job: Job) => this.metrics.jobFinished(worker.name, 'completed', seconds(job)));
      worker.on('failed', (job: Job | undefined) => this.metrics.jobFinished(worker.name, 'failed', seconds(job)));
    }
  }
}
