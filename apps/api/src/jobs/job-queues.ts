/**
 * Every background queue, and how its jobs retry, back off and are kept: the one place BullMQ is
 * configured (see README, "Background jobs").
 */
import type { DefaultJobOptions, Queue, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** One job per stored webhook delivery, nothing else (its backlog is the number of deliveries waiting). */
export const WEBHOOKS_QUEUE = 'webhooks';
/** The webhook path's own upkeep: reconciliation of the inbox, re-applying unroutable deliveries. */
export const WEBHOOK_UPKEEP_QUEUE = 'webhook-upkeep';
export const TOKEN_CHECKS_QUEUE = 'token-checks';
export const MAINTENANCE_QUEUE = 'maintenance';
/** One job per WABA whose number health must be read again (number-health/number-health-jobs.ts). */
export const NUMBER_HEALTH_QUEUE = 'number-health';
/** One job per coexistence number: its one-time contacts and history sync requests to Meta. */
export const COEXISTENCE_SYNC_QUEUE = 'coexistence-sync';

/** One job per WABA whose message templates are read from Meta (templates/template-sync-jobs.ts). */
export const TEMPLATE_SYNC_QUEUE = 'template-sync';

export const QUEUE_NAMES = [WEBHOOKS_QUEUE, WEBHOOK_UPKEEP_QUEUE, TOKEN_CHECKS_QUEUE, MAINTENANCE_QUEUE, NUMBER_HEALTH_QUEUE, COEXISTENCE_SYNC_QUEUE, TEMPLATE_SYNC_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Failed jobs stay a week for operators (the dashboard shows them with their error). */
const KEEP_FAILED = { age: 7 * 24 * 3600 };

export const DEFAULT_JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  // A job id is the delivery's id: completed jobs are removed at once, so a later resend of the
  // same bytes can be queued (and found a duplicate by the archive).
  [WEBHOOKS_QUEUE]: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: KEEP_FAILED },
  // Job ids carry the credential and its due time, so keeping an hour of completed ones is safe.
  [WEBHOOK_UPKEEP_QUEUE]: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { count: 100 }, removeOnFail: KEEP_FAILED },
  // One job per credential and due time (token-refresh/token-check-jobs.ts): once checked, the credential
  // is no longer due at that time, so a completed job can go after an hour (a late duplicate finds it not due).
  [TOKEN_CHECKS_QUEUE]: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: KEEP_FAILED },
  [MAINTENANCE_QUEUE]: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { count: 100 }, removeOnFail: KEEP_FAILED },
  // A job id is the WABA's and a time slot's (number-health/number-health-jobs.ts), so keeping an hour of completed ones is safe.
  [NUMBER_HEALTH_QUEUE]: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: KEEP_FAILED },
  // Retried only on Meta's temporary errors (others are recorded and end the job); the 24-hour window bounds it anyway.
  [COEXISTENCE_SYNC_QUEUE]: { attempts: 6, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 3600 }, removeOnFail: KEEP_FAILED },
  // A job id names the WABA: one read waits per WABA; completed ones go at once so the next can be queued.
  [TEMPLATE_SYNC_QUEUE]: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: true, removeOnFail: KEEP_FAILED },
};

/**
 * Worker settings shared by every queue. A job whose worker died (SIGKILL, lost host) is found
 * stalled within `stalledInterval` once its lock lapses, and given to another worker.
 */
export const WORKER_OPTIONS: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> = {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
};

/** Jobs of the queue still to end: queued, running, or waiting for a retry or a delay. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Where a job is, as far as a run waiting for it cares: `pending` is waiting, active or prioritized. */
export type StoredJobState = 'completed' | 'failed' | 'delayed' | 'pending' | 'unknown';

/**
 * The states of many jobs in one round trip. BullMQ's getJobState looks a job up in the wait
 * list with LPOS, a walk of the whole list: for every job of a token sweep that queued 10 000,
 * that was 6 s of Redis CPU. Sets and the job's own key are looked up in constant time.
 */
export async function storedJobStates(queue: Queue, redis: Redis, ids: string[]): Promise<StoredJobState[]> {
  if (!ids.length) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.zscore(queue.keys.completed, id).zscore(queue.keys.failed, id).zscore(queue.keys.delayed, id).exists(queue.toKey(id));
  const replies = ((await pipeline.exec()) ?? []).map(([error, value]: [Error | null, unknown]) => {
    if (error) throw error;
    return value;
  });
  return ids.map((_, i) => {
    const [completed, failed, delayed, exists] = replies.slice(i * 4, i * 4 + 4);
    if (completed !== null) return 'completed';
    if (failed !== null) return 'failed';
    if (delayed !== null) return 'delayed';
    return exists ? 'pending' : 'unknown';
  });
}
