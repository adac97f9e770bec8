import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { OperatorGrantsService } from '@waba/api/accounts/operator-grants.service';
import { makeOperator, revokeOperator } from '../support/operators';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { createTenant } from '../support/tenants';

const OPERATOR_ROUTE = '/api/operator/webhook-deliveries';

describe('operator rights', () => {
  let api: TestApp;
  // The variable that once made anyone who signed up with the address an operator: it must do nothing.
  beforeAll(async () => (api = await startTestApp({ OPERATOR_EMAILS: 'ops@wabaconnect.example' })));
  afterAll(() => api.close());

  it('signing up with an email gives no operator rights, whatever the email', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const signUp = await browser.post('/api/auth/signup', { accountName: 'Not Ops', name: 'Mallory', email: 'ops@wabaconnect.example', password: 'operator password 1' });
    expect(signUp.status).toBe(201);
    expect((await browser.get(OPERATOR_ROUTE)).status).toBe(403);
    expect((await browser.get('/api/operator/queues')).status).toBe(403);
  });

  it('a grant applies to the next request and a revocation too, without logging out; both are audited', async () => {
    const tenant = await createTenant(api.server, 'Ops Co');
    expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(403);

    await makeOperator(api.app, tenant.email.toUpperCase());
    expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(200);
    expect((await tenant.browser.get('/api/operator/queues')).status).toBe(200);

    await revokeOperator(api.app, tenant.email);
    expect((await tenant.browser.get(OPERATOR_ROUTE)).status).toBe(403);
    expect((await tenant.browser.get('/api/operator/queues')).status).toBe(403);
    expect((await tenant.browser.get('/api/auth/me')).status).toBe(200);

    const audit = (await tenant.browser.get('/api/audit-log')).body as { action: string; actorName: string; target: string }[];
    expect(audit.filter((e) => e.action.startsWith('operator.'))).toEqual([
      expect.objectContaining({ action: 'operator.revoked', actorName: 'operator command', target: tenant.email }),
      expect.objectContaining({ action: 'operator.granted', actorName: 'operator command', target: tenant.email }),
    ]);
  });

  it('grants follow the user, not the address, and are listed; an unknown email is refused', async () => {
    const service = api.app.get(OperatorGrantsService);
    await expect(service.grantOperator('nobody@example.com')).rejects.toThrow(/No user has the email nobody@example.com/);
    const tenant = await createTenant(api.server, 'Listed');
    expect(await service.grantOperator(tenant.email)).toBe(true);
    expect(await service.grantOperator(tenant.email)).toBe(false);
    expect(await service.listOperators()).toEqual(expect.arrayContaining([expect.objectContaining({ email: tenant.email, accountName: 'Listed' })]));

    // A stale session flag written by older code is not a grant.
    const other = await createTenant(api.server);
    const connection = api.app.get<Connection>(getConnectionToken());
    await connection.collection('sessions').updateMany({}, { $set: { operator: true } });
    expect((await other.browser.get(OPERATOR_ROUTE)).status).toBe(403);
    expect(await service.revokeOperator(tenant.email)).toBe(true);
    expect(await service.revokeOperator(tenant.email)).toBe(false);
  });
  // The operator command line itself (grant, list, revoke as a separate process): platform/cli.e2e.spec.ts.
});
