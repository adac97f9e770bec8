import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { WEBHOOK_UPKEEP_QUEUE } from '@waba/api/jobs/job-queues';
import { makeOperator } from '../support/operators';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { TestBrowser } from '@waba/testing';

const OPERATOR = 'queues-ops@wabaconnect.example';

describe('the job queue dashboard (/api/operator/queues)', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ PUBLIC_URL: 'http://localhost:3999' })));
  afterAll(() => api.close());

  it('shows operators every queue and a failed job with its error; refuses everyone else', async () => {
    const upkeep = api.app.get<Queue>(getQueueToken(WEBHOOK_UPKEEP_QUEUE));
    await upkeep.add('no-such-job', {}, { attempts: 1 });
    const deadline = Date.now() + 10_000;
    while ((await upkeep.getFailedCount()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    expect((await request(api.server).get('/api/operator/queues')).status).toBe(401);
    const tenant = await createTenant(api.server);
    expect((await tenant.browser.get('/api/operator/queues/api/queues')).status).toBe(403);

    const operator = await new TestBrowser(api.server).visit();
    expect((await operator.post('/api/auth/signup', { accountName: 'Ops', name: 'Ops', email: OPERATOR, password: 'operator password 1' })).status).toBe(201);
    await makeOperator(api.app, OPERATOR);
    const page = await operator.get('/api/operator/queues');
    expect(page.status).toBe(200);
    expect(page.text).toContain('WABA Connect jobs');
    const queues = await operator.get('/api/operator/queues/api/queues?activeQueue=webhook-upkeep&status=failed');
    expect(queues.status).toBe(200);
    const names = (queues.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
    expect(names).toEqual(['coexistence-sync', 'maintenance', 'number-health', 'template-sync', 'token-checks', 'webhook-upkeep', 'webhooks']);
    const failed = (queues.body.queues as Array<{ name: string; jobs: Array<{ name: string; failedReason: string }> }>).find((q) => q.name === 'webhook-upkeep')?.jobs ?? [];
    expect(failed.find((job) => job.name === 'no-such-job')?.failedReason).toBe('Unknown webhook upkeep job no-such-job');

    // Its buttons post without our CSRF header: only requests from our own origin may change a queue.
    const foreign = await operator.send('put', '/api/operator/queues/api/queues/webhook-upkeep/retry/failed', undefined, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await operator.send('put', '/api/operator/queues/api/queues/webhook-upkeep/retry/failed', undefined, { Origin: 'http://localhost:3999' });
    expect(own.status).toBe(200);
  });
});
