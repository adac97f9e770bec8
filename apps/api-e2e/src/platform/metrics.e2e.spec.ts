import request from 'supertest';
import { freePort } from '@waba/tools/database/database-launcher';
import { phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { openSocket } from '../support/sockets';
import { useApiWithSandbox } from '../support/suite';
import { createTenant } from '../support/tenants';
import { startTestApp, type TestApp } from '../support/test-app';
import { deliverAndSettle } from '../support/webhook-delivery';
import { inboundMessage, seedRoutableNumber, signed } from '@waba/testing';

/** One sample of a scrape: the value of `name` whose labels include `labels` (summed over the others), 0 when absent. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of scrape.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => own[key] === value)) total += Number(match[3]);
  }
  return total;
}

describe('metrics (/metrics on METRICS_PORT)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let metricsPort: number;
  // Filled in before the suite's app starts (useApiWithSandbox reads it then).
  const settings: Record<string, string> = {};

  beforeAll(async () => {
    metricsPort = await freePort();
    settings['METRICS_PORT'] = String(metricsPort);
  });
  useApiWithSandbox((running) => ({ api, sandbox } = running), settings);

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  const deliver = (payload: object): Promise<number> => deliverAndSettle(api, payload);

  const deliveries = (scraped: string, outcome: string) => sample(scraped, 'waba_webhook_deliveries_total', { outcome });

  it('counts a signed delivery as received and applied, with its ingest and apply latency', async () => {
    const { wabaId, phoneNumberId } = await seedRoutableNumber(api.databaseUri);
    const before = await scrape();
    expect(await deliver(inboundMessage(wabaId, phoneNumberId, { id: 'wamid.METRICS1', text: 'hello' }))).toBe(200);
    const after = await scrape();
    expect(deliveries(after, 'received') - deliveries(before, 'received')).toBe(1);
    expect(deliveries(after, 'applied') - deliveries(before, 'applied')).toBe(1);
    expect(sample(after, 'waba_webhook_ingest_duration_seconds_count') - sample(before, 'waba_webhook_ingest_duration_seconds_count')).toBe(1);
    expect(sample(after, 'waba_webhook_apply_delay_seconds_count', { outcome: 'applied' }) - sample(before, 'waba_webhook_apply_delay_seconds_count', { outcome: 'applied' })).toBe(1);
  });

  it('counts the same bytes sent again as a duplicate, not as applied', async () => {
    const { wabaId, phoneNumberId } = await seedRoutableNumber(api.databaseUri);
    const payload = inboundMessage(wabaId, phoneNumberId, { id: 'wamid.METRICS2', text: 'twice' });
    expect(await deliver(payload)).toBe(200);
    const before = await scrape();
    expect(await deliver(payload)).toBe(200);
    const after = await scrape();
    expect(deliveries(after, 'duplicate') - deliveries(before, 'duplicate')).toBe(1);
    expect(deliveries(after, 'applied') - deliveries(before, 'applied')).toBe(0);
  });

  it('counts deliveries nobody owns as unroutable, bad signatures and malformed bodies apart', async () => {
    const before = await scrape();
    expect(await deliver(inboundMessage('419999999999999', '619999999999999', { id: 'wamid.METRICS3', text: 'lost' }))).toBe(200);
    const forged = await request(api.server)
      .post('/api/webhooks/whatsapp')
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', `sha256=${'0'.repeat(64)}`)
      .send('{}');
    expect(forged.status).toBe(401);
    const malformed = signed('not json');
    expect((await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', malformed.signature).send('not json')).status).toBe(200);
    const after = await scrape();
    expect(deliveries(after, 'unroutable') - deliveries(before, 'unroutable')).toBe(1);
    expect(deliveries(after, 'invalid_signature') - deliveries(before, 'invalid_signature')).toBe(1);
    expect(deliveries(after, 'rejected') - deliveries(before, 'rejected')).toBe(1);
  });

  it('shows a Graph fault under its endpoint template, error class and Meta code, and the failed onboarding attempt', async () => {
    const tenant = await createTenant(api.server);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Northwind Clinics');
    const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id });
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 1, error: { code: 190, message: 'Error validating access token' } });
    const failedGraph = { endpoint: 'GET /debug_token', outcome: 'credential', code: '190' };
    const failedAdd = { flow: 'manual_add', step: 'connect', outcome: 'failed' };
    const before = await scrape();

    const added = await tenant.browser.post('/api/settings/phone-numbers', {
      phoneNumberId: phoneIdOf(sandbox, '+44 7700 900461'),
      wabaId: wabaIdOf(sandbox, 'Northwind Clinics'),
      accessToken: minted.access_token,
    });
    expect(added.status).toBe(400);

    const after = await scrape();
    expect(sample(after, 'waba_graph_requests_total', failedGraph) - sample(before, 'waba_graph_requests_total', failedGraph)).toBe(1);
    expect(sample(after, 'waba_graph_request_duration_seconds_count', { endpoint: 'GET /debug_token', outcome: 'credential' })).toBeGreaterThan(0);
    expect(sample(after, 'waba_onboarding_attempts_total', failedAdd) - sample(before, 'waba_onboarding_attempts_total', failedAdd)).toBe(1);
    // No id, token or secret in any label.
    expect(after).not.toContain(minted.access_token);
    expect(after).not.toContain(wabaIdOf(sandbox, 'Northwind Clinics'));
  });

  it('reads credentials by state and time to expiry, and the queue depths, from the database and Redis at scrape', async () => {
    const tenant = await createTenant(api.server);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Northwind Clinics');
    const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id });
    expect(sample(await scrape(), 'waba_credentials', { status: 'active' })).toBe(0);

    const added = await tenant.browser.post('/api/settings/phone-numbers', {
      phoneNumberId: phoneIdOf(sandbox, '+44 7700 900461'),
      wabaId: wabaIdOf(sandbox, 'Northwind Clinics'),
      accessToken: minted.access_token,
      displayPhone: '+44 7700 900461',
    });
    expect(added.status).toBe(201);

    const after = await scrape();
    expect(sample(after, 'waba_credentials', { status: 'active' })).toBe(1);
    expect(sample(after, 'waba_credentials', { status: 'needs_reauth' })).toBe(0);
    expect(sample(after, 'waba_credentials_by_expiry')).toBe(1);
    expect(sample(after, 'waba_onboarding_attempts_total', { flow: 'manual_add', outcome: 'succeeded' })).toBeGreaterThan(0);
    for (const queue of ['webhooks', 'webhook-upkeep', 'token-checks', 'maintenance']) {
      expect(after).toMatch(new RegExp(`^waba_queue_jobs\\{[^}]*queue="${queue}"[^}]*state="waiting"`, 'm'));
    }
  });

  it('counts signed-in Socket.IO connections while they are open', async () => {
    const tenant = await createTenant(api.server);
    const before = sample(await scrape(), 'waba_socket_connections');
    const live = await openSocket(api.server, tenant.browser);
    expect(sample(await scrape(), 'waba_socket_connections')).toBe(before + 1);
    live.close();
    await live.closed;
    const deadline = Date.now() + 5000;
    while (sample(await scrape(), 'waba_socket_connections') !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sample(await scrape(), 'waba_socket_connections')).toBe(before);
  });

  it('keeps /metrics off the public port, and the metrics port serves nothing of the API', async () => {
    expect((await request(api.server).get('/metrics')).status).toBe(404);
    expect((await request(api.server).get('/api/metrics')).status).toBe(404);
    const apiOnMetricsPort = await fetch(`http://127.0.0.1:${metricsPort}/api/auth/me`);
    expect(apiOnMetricsPort.status).toBe(404);
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/api/health/ready`);
    expect(ready.status).toBe(200);
  });
});

describe('metrics on the public port (METRICS_ON_PUBLIC_PORT=true)', () => {
  let api: TestApp;
  beforeAll(async () => void (api = await startTestApp({ METRICS_ON_PUBLIC_PORT: 'true' })));
  afterAll(() => api.close());

  it('serves /metrics at the root of the public port, without a session', async () => {
    const response = await request(api.server).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toContain('# TYPE waba_webhook_deliveries_total counter');
    expect(response.text).toContain('waba_process_cpu_seconds_total');
  });
});
