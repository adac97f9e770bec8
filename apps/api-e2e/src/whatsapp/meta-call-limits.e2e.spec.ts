import type { Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import type { TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';

/** Junk-token imports must not spend the app's shared Meta budget without end. */
describe('limits on the routes that call Meta', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running), { META_CALLS_PER_TENANT_PER_MINUTE: '3', META_CALLS_PER_ADDRESS_PER_MINUTE: '5', TRUST_PROXY: '1' });

  const debugTokenCalls = async () => (await sandbox.control<{ total: number }>('GET', '/tokens/debug-calls')).body.total;
  /** Each test comes from its own client address (behind the load balancer, TRUST_PROXY=1). */
  const importJunk = (tenant: Awaited<ReturnType<typeof createTenant>>, i: number, address = '203.0.113.1') =>
    tenant.browser.send('post', '/api/integrations/whatsapp/import', { accessToken: `EAAjunk-token-${i}` }, { 'X-Forwarded-For': address });

  it('answers 429 with Retry-After once a tenant used its minute, and Meta sees no more calls', async () => {
    const tenant = await createTenant(api.server);
    for (let i = 0; i < 3; i++) expect((await importJunk(tenant, i)).status).toBe(400);
    const before = await debugTokenCalls();
    const limited = await importJunk(tenant, 3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/^Too many requests to Meta from your account \(import\): at most 3 a minute\. Try again in \d+ seconds\.$/);
    expect(await debugTokenCalls()).toBe(before);
    // Every Meta-facing route counts against the same budget.
    expect((await tenant.browser.get('/api/integrations/whatsapp/oauth/start')).status).toBe(429);
    expect((await tenant.browser.post('/api/settings/phone-numbers', { phoneNumberId: '1234567890', wabaId: '1234567890', accessToken: 'EAAx' })).status).toBe(429);
  });

  it('limits one client address across tenants', async () => {
    const [a, b, c] = [await createTenant(api.server), await createTenant(api.server), await createTenant(api.server)];
    const address = '198.51.100.9';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await importJunk(a, i, address)).status);
    for (let i = 0; i < 2; i++) statuses.push((await importJunk(b, i, address)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const limited = await importJunk(c, 0, address);
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/from your network address/);
    // Another address, same tenant: allowed.
    expect((await importJunk(c, 1, '198.51.100.10')).status).toBe(400);
  });
});
