/**
 * `npm run bench:onboarding`: onboards a single-number tenant (Embedded Signup code → discovery →
 * confirm: subscribe + register) while the Meta sandbox adds 100 ms to every Graph call, and prints
 * the Graph round trips made, how many lie on the critical path (the longest chain of calls that
 * had to wait for one another), and the total time, with and without the WABA id in the finish
 * message. Baseline in the same run: one bare Graph call.
 */
import type { OnboardingSessionView } from '@waba/contracts';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/app/create-api-app';
import { loadApiConfig } from '../../apps/api/src/config/api-config';
import { TestBrowser } from '@waba/testing';
import { grantConsent, type Sandbox } from '@waba/testing/sandbox';
import { createSandboxApp } from '../../apps/meta-sandbox/src/app/create-sandbox-app';
import { WorldStore } from '../../apps/meta-sandbox/src/app/world/world.store';
import { SandboxClock } from '../../apps/meta-sandbox/src/app/common/sandbox-clock';
import { launchDatabase, withDatabaseName } from '../database/database-launcher';
import { launchRedis } from '../redis/redis-launcher';

const LATENCY_MS = 100;
const APP = { appId: '100000000000001', appSecret: 'bench-secret', configId: 'sandbox-config-1' };

interface Call {
  label: string;
  start: number;
  end: number;
}

/** Longest chain of calls where each started after the previous one ended. */
function criticalPath(calls: Call[]): Call[] {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const best: Call[][] = [];
  sorted.forEach((call, i) => {
    let chain: Call[] = [];
    for (let j = 0; j < i; j++) if (sorted[j].end <= call.start && best[j].length > chain.length) chain = best[j];
    best.push([...chain, call]);
  });
  return best.reduce((a, b) => (b.length > a.length ? b : a), []);
}

async function main(): Promise<void> {
  const calls: Call[] = [];
  const sandboxApp = await createSandboxApp({ ...APP, logger: false });
  sandboxApp.use((req: { method: string; path: string }, res: { on(e: string, f: () => void): void }, next: () => void) => {
    if (req.path.startsWith('/_sandbox') || req.path.includes('/dialog/')) return next();
    const call: Call = { label: `${req.method} ${req.path.replace(/\d{6,}/g, '{id}')}`, start: performance.now(), end: 0 };
    res.on('finish', () => ((call.end = performance.now()), calls.push(call)));
    next();
  });
  await sandboxApp.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(sandboxApp.getHttpServer().address() as AddressInfo).port}`;
  const sandbox = { app: sandboxApp, baseUrl, world: sandboxApp.get(WorldStore), clock: sandboxApp.get(SandboxClock) } as unknown as Sandbox;

  const database = await launchDatabase({ log: () => undefined });
  const redis = await launchRedis({ log: () => undefined });
  const api = await createApiApp(
    loadApiConfig({
      MONGODB_URI: withDatabaseName(database.uri, `bench_onboarding_${Date.now()}`),
      REDIS_URL: redis.url,
      TOKEN_ENCRYPTION_KEYS: `b:${Buffer.alloc(32, 1).toString('base64')}`,
      META_GRAPH_URL: baseUrl,
      META_DIALOG_URL: baseUrl,
      META_SDK_URL: `${baseUrl}/sdk.js`,
      META_APP_ID: APP.appId,
      META_APP_SECRET: APP.appSecret,
      LOG_LEVEL: 'silent',
      SPA_DIR: 'does-not-exist',
      TOKEN_CHECK_ENABLED: 'false',
    }),
  );
  await api.init();
  try {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${baseUrl}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
    await control('POST', '/faults', { endpoint: '*', count: 1000, latencyMs: LATENCY_MS });
    const single = performance.now();
    await fetch(`${baseUrl}/v25.0/debug_token?input_token=x&access_token=${APP.appId}|${APP.appSecret}`);
    const oneCall = performance.now() - single;

    // Once with the finish message naming the WABA (Embedded Signup's usual case), once without it.
    const cases = { 'finish message names the WABA': true, 'finish message without a WABA id': false };
    const rows: Record<string, Record<string, number | string>> = {};
    for (const [label, named] of Object.entries(cases)) {
      const name = `Bench ${named ? 'Named' : 'Unnamed'}`;
      const business = (await control('POST', '/businesses', { name })) as { id: string };
      const waba = (await control('POST', '/wabas', { businessId: business.id, name })) as { id: string };
      const phone = (await control('POST', '/phone-numbers', { wabaId: waba.id, displayPhoneNumber: named ? '+1 555-010-0300' : '+1 555-010-0301', verifiedName: name, registered: false })) as {
        id: string;
      };
      const browser = await new TestBrowser(api.getHttpServer()).visit();
      await browser.post('/api/auth/signup', { accountName: name, name, email: `bench-${named}-${Date.now()}@example.com`, password: 'bench password 1' });
      const consent = await grantConsent(sandbox, { flow: 'sdk', business: name });
      calls.length = 0;

      const started = performance.now();
      const sessionInfo = named ? { event: 'FINISH', wabaId: waba.id } : { event: 'FINISH' };
      const session = (await browser.post('/api/integrations/whatsapp/embedded-signup', { code: consent.code, sessionInfo })).body as OnboardingSessionView;
      const discovered = performance.now();
      const confirmed = (await browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [phone.id] })).body as OnboardingSessionView;
      const finished = performance.now();
      if (confirmed.status !== 'completed') throw new Error(`onboarding did not complete: ${JSON.stringify(confirmed)}`);

      const path = criticalPath([...calls]);
      rows[label] = {
        'consent → picker ms': Math.round(discovered - started),
        'confirm ms': Math.round(finished - discovered),
        'total ms': Math.round(finished - started),
        'Graph calls': calls.length,
        'on the critical path': path.length,
      };
      console.log(`${label}: critical path ${path.map((c) => c.label).join(' → ')}`);
    }

    console.log(`\nOnboarding a single-number tenant, sandbox adding ${LATENCY_MS} ms to every Graph call (baseline: one bare Graph call took ${Math.round(oneCall)} ms)`);
    console.table(rows);
  } finally {
    await api.close();
    await sandboxApp.close();
    await database.stop();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
