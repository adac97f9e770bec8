import { Job, type QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { storedJobStates } from '../jobs/job-queues';

/** What a check job returns; `not_due` when the credential was checked for that time already or left the check. */
export interface CheckJobResult {
  kind: 'healthy' | 'extended' | 'needs_reauth' | 'not_due';
  checkedBy: string;
}

/** How one check job ended, as a run waiting for it sees it. */
export type CheckJobEnd = CheckJobResult | { kind: 'failed'; reason: string } | { kind: 'deferred'; until: number };

/** The progress a check job reports when it waits out a rate limit (a waiting run counts it deferred). */
export interface Deferral {
  deferredUntil: number;
}

/** Stored job states are read this many at a time. */
const READ_CHUNK = 500;

/**
 * Waits for check jobs to end — completed, failed for good, or deferred by a rate limit — whoever
 * runs them. Events arrive from the moment `watch()` resolved; jobs that ended before (another
 * run's, with the same id) are read from their stored state.
 */
export class CheckJobWatch {
  constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
  ) {}

  async waitFor(ids: string[], ended: (end: CheckJobEnd) => void): Promise<void> {
    const pending = new Set(ids);
    if (!pending.size) return;
    let allEnded!: () => void;
    const done = new Promise<void>((resolve) => (allEnded = resolve));
    const end = (id: string, how: CheckJobEnd) => {
      if (!pending.delete(id)) return;
      ended(how);
      if (!pending.size) allEnded();
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => end(jobId, parseResult(returnvalue));
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => end(jobId, { kind: 'failed', reason: failedReason });
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      const until = deferredUntil(data);
      if (until) end(jobId, { kind: 'deferred', until });
    };
    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    this.events.on('progress', onProgress);
    try {
      for (let i = 0; i < ids.length && pending.size; i += READ_CHUNK) {
        const chunk = ids.slice(i, i + READ_CHUNK);
        // The state first: a job read as finished has its result stored already.
        const states = await storedJobStates(this.queue, this.redis, chunk);
        await Promise.all(
          chunk.map(async (id, j) => {
            const state = states[j];
            if (state === 'unknown') return end(id, { kind: 'not_due', checkedBy: '' }); // removed: it ended long ago
            if (state === 'pending') return;
            const job = await Job.fromId(this.queue, id);
            const how = job && storedEnd(job, state);
            if (how) end(id, how);
          }),
        );
      }
      await done;
    } finally {
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
      this.events.off('progress', onProgress);
    }
  }

  close(): Promise<void> {
    return this.events.close();
  }
}

/** The end a stored job already reached, or null while it is still to run. */
function storedEnd(job: Job, state: string): CheckJobEnd | null {
  if (state === 'failed') return { kind: 'failed', reason: job.failedReason };
  if (state === 'completed') return parseResult(job.returnvalue);
  const until = deferredUntil(job.progress);
  return state === 'delayed' && until > Date.now() ? { kind: 'deferred', until } : null;
}

function parseResult(value: unknown): CheckJobEnd {
  const result = (typeof value === 'string' ? JSON.parse(value) : value) as CheckJobResult | null;
  return result?.kind ? result : { kind: 'not_due', checkedBy: '' };
}

function deferredUntil(progress: unknown): number {
  const until = (progress as Partial<Deferral> | null)?.deferredUntil;
  return typeof until === 'number' ? until : 0;
}
