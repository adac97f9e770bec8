import type { OnboardingSessionView } from '@waba/contracts';
import { embeddedSignup, type Sandbox } from '../support/meta-sandbox';
import { runSecretScan } from '../support/run-secret-scan';
import { useApiWithSandbox } from '../support/suite';
import { createTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';

// The run-wide scan (support/run-secret-scan.ts) checks every API e2e file after it ends; this file
// proves it would catch a leak: it plants secrets the run created where a bug would put them.
describe('the run-wide secret scan', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running), {}, { resetEachTest: false });

  it('finds, with no help from the test, a password, a session cookie, a Meta token and the app secret where they must not be', async () => {
    const tenant = await createTenant(api.server);
    const { code, wabaId } = await embeddedSignup(sandbox);
    const started = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    expect((started.body as OnboardingSessionView).status).toBeDefined();
    expect(runSecretScan.takeLeaks().leaks).toEqual([]);

    // The last token Meta minted: the business token the code was exchanged for.
    const metaToken = [...sandbox.world.tokens.keys()].pop() as string;
    api.logs.write(`{"msg":"debug","token":"${metaToken}"}\n`);
    runSecretScan.recordText('a socket event', JSON.stringify({ note: `password ${tenant.password}` }));
    await tenant.browser.post('/api/auth/login', { email: tenant.email, password: tenant.password });
    runSecretScan.recordText('a fetched body', `cookie=${tenant.browser.cookies.get('waba_session')} secret=${'test-app-secret'}`);

    const { leaks } = runSecretScan.takeLeaks();
    expect(leaks.map((l) => `${l.secret} @ ${l.where}`).sort()).toEqual(
      ['META_APP_SECRET @ a fetched body', 'access token minted by Meta @ log line 1', 'password sent to /api/auth/signup @ a socket event', 'waba_session cookie @ a fetched body'].sort(),
    );
    expect(leaks.every((l) => !l.excerpt.includes(tenant.password) && !l.excerpt.includes(metaToken))).toBe(true);
  });
});
