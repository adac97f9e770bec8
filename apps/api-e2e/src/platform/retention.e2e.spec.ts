import { getQueueToken } from '@nestjs/bullmq';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Queue } from 'bullmq';
import { Types, type Connection } from 'mongoose';
import { MAINTENANCE_QUEUE } from '@waba/api/jobs/job-queues';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY = 24 * 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms);

/** Nothing grows without end: the retention tasks run as jobs on the maintenance queue. */
describe('retention clean-ups', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ WEBHOOK_ARCHIVE_RETENTION_DAYS: '30', TENANT_EVENT_RETENTION_DAYS: '90' })));
  afterAll(() => api.close());

  const db = () => {
    const connected = api.app.get<Connection>(getConnectionToken()).db;
    if (!connected) throw new Error('The API is not connected to its database');
    return connected;
  };
  const names = async (collection: string) => (await db().collection(collection).find({}).toArray()).map((d) => d['label'] as string).sort();

  async function run(task: string): Promise<void> {
    const queue = api.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    const job = await queue.add(task, {});
    const deadline = Date.now() + 15_000;
    while (!(await job.isCompleted()) && Date.now() < deadline) {
      if (await job.isFailed()) throw new Error(`${task} failed: ${(await queue.getJob(String(job.id)))?.failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('deletes expired OAuth states, old used codes and long-expired onboarding sessions; keeps the rest', async () => {
    const accountId = new Types.ObjectId();
    await db()
      .collection('oauth_states')
      .insertMany([
        { label: 'expired', stateHash: 'a', accountId, userId: accountId, expiresAt: ago(1000) },
        { label: 'live', stateHash: 'b', accountId, userId: accountId, expiresAt: ago(-600_000) },
      ]);
    await db()
      .collection('oauth_codes')
      .insertMany([
        { label: 'used two days ago', codeHash: 'c', accountId, usedAt: ago(2 * DAY) },
        { label: 'used an hour ago', codeHash: 'd', accountId, usedAt: ago(3600_000) },
      ]);
    await db()
      .collection('onboarding_sessions')
      .insertMany([
        { label: 'expired eight days ago', accountId, expiresAt: ago(8 * DAY), status: 'pending' },
        { label: 'expired yesterday', accountId, expiresAt: ago(DAY), status: 'completed' },
      ]);
    await run('oauth-retention');
    expect(await names('oauth_states')).toEqual(['live']);
    expect(await names('oauth_codes')).toEqual(['used an hour ago']);
    expect(await names('onboarding_sessions')).toEqual(['expired yesterday']);
  });

  it('deletes archived deliveries and tenant events past their retention', async () => {
    const accountId = new Types.ObjectId();
    await db()
      .collection('webhook_deliveries')
      .insertMany([
        { label: '31 days old', bodySha256: 'x1', receivedAt: ago(31 * DAY) },
        { label: 'yesterday', bodySha256: 'x2', receivedAt: ago(DAY) },
      ]);
    await db()
      .collection('tenant_events')
      .insertMany([
        { label: '91 days old', accountId, key: 'k1', receivedAt: ago(91 * DAY) },
        { label: '31 days old', accountId, key: 'k2', receivedAt: ago(31 * DAY) },
      ]);
    await run('webhook-retention');
    expect(await names('webhook_deliveries')).toEqual(['yesterday']);
    expect(await names('tenant_events')).toEqual(['31 days old']);
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const accountId = new Types.ObjectId();
    await db()
      .collection('sessions')
      .insertMany([
        { label: 'expired', tokenHash: 's1', csrfHash: 'c1', accountId, userId: accountId, role: 'owner', expiresAt: ago(1000) },
        { label: 'live', tokenHash: 's2', csrfHash: 'c2', accountId, userId: accountId, role: 'owner', expiresAt: ago(-3600_000) },
      ]);
    await run('session-retention');
    expect(await names('sessions')).toEqual(['live']);
  });
});
