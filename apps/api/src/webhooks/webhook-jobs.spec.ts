import { Queue } from 'bullmq';
import { bullConnection } from '../redis/redis-connection';
import { RedisClient } from '../redis/redis.module';
import { redisOnlyConfig } from '../testing/redis-config';
import { WEBHOOK_UPKEEP_QUEUE, WEBHOOKS_QUEUE } from '../jobs/job-queues';
import { WebhookJobs } from './webhook-jobs';
import type { InboxRecord } from './webhooks.repository';

const entry = (id: string): InboxRecord => ({ _id: id, rawBody: `{"object":"whatsapp_business_account","id":"${id}"}`, sizeBytes: 40, receivedAt: new Date(), acceptId: `accept-${id}` });

describe('WebhookJobs against a real Redis', () => {
  const config = redisOnlyConfig('webhook-jobs');
  let redis: RedisClient;
  let queue: Queue;
  let upkeep: Queue;
  let jobs: WebhookJobs;

  beforeEach(async () => {
    redis = new RedisClient(config);
    const options = { connection: bullConnection(config), prefix: `${config.REDIS_KEY_PREFIX}:jobs` };
    queue = new Queue(WEBHOOKS_QUEUE, options);
    upkeep = new Queue(WEBHOOK_UPKEEP_QUEUE, options);
    await Promise.all([queue.waitUntilReady(), new Promise((resolve) => redis.connection.once('ready', resolve))]);
    jobs = new WebhookJobs(queue, upkeep, redis);
  });

  afterEach(async () => {
    await queue.obliterate({ force: true });
    await Promise.all([queue.close(), upkeep.close(), redis.onApplicationShutdown()]);
  });

  it('adds deliveries stored while others were being added in one transaction, each as a job named by its delivery id', async () => {
    const added = jest.spyOn(queue, 'addBulk');

    // The first goes at once; the two stored meanwhile wait for it and go together.
    await Promise.all([jobs.enqueue([entry('a')]), jobs.enqueue([entry('b')]), jobs.enqueue([entry('c')])]);

    expect(added.mock.calls.map(([list]) => list.map((job) => job.opts?.jobId))).toEqual([['a'], ['b', 'c']]);
    const stored = await queue.getJobs(['waiting']);
    expect(stored.map((job) => [job.id, job.data.acceptId]).sort()).toEqual([
      ['a', 'accept-a'],
      ['b', 'accept-b'],
      ['c', 'accept-c'],
    ]);
  });

  it('queues a delivery once however often it is enqueued (the reconciliation finding it again)', async () => {
    await jobs.enqueue([entry('a'), entry('b')]);
    await jobs.enqueue([entry('a')]);

    expect(await jobs.pending()).toBe(2);
  });
});
