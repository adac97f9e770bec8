import { startFerretDb, type LaunchedDatabase } from '@waba/tools/database/database-launcher';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';

/** Uses a private FerretDB it can stop, so the rest of the run keeps its database. */
describe('when the database goes away', () => {
  let database: LaunchedDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await startFerretDb(process.env, () => undefined);
    api = await startTestApp({ MONGODB_URI: `${database.uri}/down_test`, DATABASE_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await api.close().catch(() => undefined);
    await database.stop();
  });

  it('answers 503 quickly instead of hanging, and /api/health turns red', async () => {
    const tenant = await createTenant(api.server);
    await database.stop();

    const started = Date.now();
    const me = await tenant.browser.get('/api/auth/me');
    expect(me.status).toBe(503);
    expect(me.body.message).toMatch(/database is unavailable/);
    expect(Date.now() - started).toBeLessThan(2500);

    const health = await tenant.browser.get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.database.status).toBe('down');
  });
});
