import { APP_ID, APP_SECRET, CONFIG_ID, type ConsentResult, grantConsent, phoneIdOf, type Sandbox, startSandbox, VERSION } from '@waba/testing/sandbox';
import type { OnboardingSessionView } from '@waba/contracts';
import { runSecretScan } from './run-secret-scan';
import type { SignedInTenant } from './tenants';
import { startTestApp, type TestApp } from './test-app';

export { grantConsent, phoneIdOf, wabaIdOf, type Sandbox } from '@waba/testing/sandbox';

/** The API wired to a real Meta sandbox (in-process, port 0), as `npm start` wires them. */
export async function startApiWithSandbox(settings: Record<string, string> = {}): Promise<{ api: TestApp; sandbox: Sandbox }> {
  const sandbox = await startSandbox();
  runSecretScan.watchSandbox(sandbox.world);
  const api = await startTestApp({
    META_GRAPH_URL: sandbox.baseUrl,
    META_DIALOG_URL: sandbox.baseUrl,
    META_SDK_URL: `${sandbox.baseUrl}/sdk.js`,
    META_APP_ID: APP_ID,
    META_APP_SECRET: APP_SECRET,
    META_CONFIG_ID: CONFIG_ID,
    META_API_VERSION: VERSION,
    PUBLIC_URL: 'http://localhost:3999',
    ...settings,
  });
  return { api, sandbox };
}

/** Embedded Signup in the sandbox, as the popup would finish it: the code and the FINISH message. */
export async function embeddedSignup(sandbox: Sandbox, business = 'Acme Bakery', wabas?: string[]): Promise<{ code: string; wabaId?: string; consent: ConsentResult }> {
  const consent = await grantConsent(sandbox, { flow: 'sdk', business, wabas });
  const finish = consent.messages.find((m) => m['type'] === 'WA_EMBEDDED_SIGNUP') as { data?: { waba_id?: string } } | undefined;
  if (!consent.code) throw new Error('the sandbox returned no code');
  return { code: consent.code, wabaId: finish?.data?.waba_id, consent };
}

/** Embedded Signup through the API, then the picker's confirm of `displayPhones`; the confirmed session. */
export async function connectNumbers(sandbox: Sandbox, tenant: SignedInTenant, displayPhones: string[], business = 'Acme Bakery'): Promise<OnboardingSessionView> {
  const { code, wabaId } = await embeddedSignup(sandbox, business);
  const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
  const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: displayPhones.map((p) => phoneIdOf(sandbox, p)) });
  if (confirm.body.status !== 'completed') throw new Error(`signup not completed: ${JSON.stringify(confirm.body)}`);
  return confirm.body as OnboardingSessionView;
}
