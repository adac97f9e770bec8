/**
 * `npm run bench:health`: a number-health refresh of 1 000 numbers (100 WABAs × 10 numbers) against
 * the Meta sandbox with 20 ms added to every Graph call, both ways, in the same run:
 *  - baseline, per number: `GET /{phone}?fields=…,health_status`, `GET /{waba}/subscribed_apps`,
 *    `GET /debug_token` and `GET /{app-id}/subscriptions` for each number (what a naive check does);
 *  - ours (apps/api/src/number-health): one `GET /{waba}?fields=health_status,subscribed_apps{…},
 *    phone_numbers{…,health_status}` per WABA, plus one `GET /{app-id}/subscriptions` for the run;
 *    the credential's expiry is what the token check stored.
 * Both evaluate the same rules (number-health-rules.ts) and must reach the same verdicts. Prints the
 * Graph round trips per number and the time of each. The database writes of a refresh are not in it.
 */
import { MetaGraphClient, type AppSubscription, type GraphAttempt, type PhoneNumberWithHealth, type SubscribedApp } from '@waba/meta-graph';
import type { AddressInfo } from 'node:net';
import { evaluateNumberHealth, type HealthInputs } from '../../apps/api/src/number-health/number-health-rules';
import { createSandboxApp } from '../../apps/meta-sandbox/src/app/create-sandbox-app';

const WABAS = Number(process.env['BENCH_WABAS'] ?? 100);
const NUMBERS_PER_WABA = Number(process.env['BENCH_NUMBERS_PER_WABA'] ?? 10);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 20);
/** Graph calls in flight at once, the same for both paths. */
const CONCURRENCY = 8;
const APP = { appId: '100000000000001', appSecret: 'bench-secret', configId: 'sandbox-config-1' };
const CALLBACK = 'http://localhost:3000/api/webhooks/whatsapp';

type Verdicts = Map<string, string>;

async function pool<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

function inputs(
  number: { id: string; display: string },
  fresh: PhoneNumberWithHealth | null,
  subscribedApps: SubscribedApp[] | null,
  appSubscriptions: AppSubscription[] | null,
  expiresAt: Date | null,
): HealthInputs {
  return {
    number: { phoneNumberId: number.id, displayPhone: number.display, registration: 'registered', hasStoredPin: true, connectedAt: new Date(Date.now() - 3600_000) },
    fresh,
    waba: { state: 'connected', restriction: null },
    subscribedApps,
    appSubscriptions,
    readFailure: null,
    connection: { status: 'active', expiresAt, dataAccessExpiresAt: null },
    lastWebhookAt: new Date(),
    appId: APP.appId,
    callbackUrl: CALLBACK,
    now: new Date(),
  };
}

async function main(): Promise<void> {
  const sandbox = await createSandboxApp({ ...APP, logger: false });
  await sandbox.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(sandbox.getHttpServer().address() as AddressInfo).port}`;
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await response.json()) as T;
  };
  const attempts: GraphAttempt[] = [];
  const client = new MetaGraphClient(
    { graphBaseUrl: baseUrl, dialogBaseUrl: baseUrl, apiVersion: 'v25.0', appId: APP.appId, appSecret: APP.appSecret },
    { observe: (attempt) => attempts.push(attempt) },
  );

  try {
    // The world: one business, WABAS WABAs of NUMBERS_PER_WABA numbers; a few of them blocked or limited.
    const business = await control<{ id: string }>('POST', '/businesses', { name: 'Bench Health Ltd' });
    const wabas: Array<{ id: string; numbers: Array<{ id: string; display: string }> }> = [];
    for (let w = 0; w < WABAS; w++) {
      const waba = await control<{ id: string }>('POST', '/wabas', { businessId: business.id, name: `Bench WABA ${w}` });
      const numbers = [];
      for (let n = 0; n < NUMBERS_PER_WABA; n++) {
        const display = `+1 555-${String(w).padStart(3, '0')}-${String(n).padStart(4, '0')}`;
        const phone = await control<{ id: string }>('POST', '/phone-numbers', {
          wabaId: waba.id,
          displayPhoneNumber: display,
          verifiedName: `Bench ${w}/${n}`,
          ...(n === 3 && { qualityRating: 'RED' }),
        });
        numbers.push({ id: phone.id, display });
      }
      wabas.push({ id: waba.id, numbers });
    }
    for (const waba of wabas.filter((_, i) => i % 10 === 0)) await control('POST', `/health/${waba.numbers[0].id}`, { canSendMessage: 'BLOCKED' });
    await control('PATCH', '/settings', { webhookUrl: CALLBACK });
    const token = (await control<{ access_token: string }>('POST', '/tokens', { businessId: business.id, expiresInSeconds: 30 * 24 * 3600 })).access_token;
    for (const waba of wabas) await client.subscribeApp(token, waba.id);
    await control('POST', '/faults', { endpoint: '*', count: 1_000_000, latencyMs: LATENCY_MS });
    const numbers = wabas.flatMap((waba) => waba.numbers.map((number) => ({ waba, number })));

    // Baseline: every number on its own.
    attempts.length = 0;
    const naive: Verdicts = new Map();
    let started = performance.now();
    await pool(numbers, async ({ waba, number }) => {
      const fresh = await client.getPhoneNumberHealth(token, number.id);
      const subscribed = await client.listSubscribedApps(token, waba.id);
      const debug = await client.debugToken(token);
      const app = await client.listAppSubscriptions();
      const expiresAt = debug.expires_at ? new Date(debug.expires_at * 1000) : null;
      naive.set(number.id, evaluateNumberHealth(inputs(number, fresh, subscribed.data, app.data, expiresAt)).verdict);
    });
    const naiveMs = performance.now() - started;
    const naiveCalls = attempts.length;

    // Ours: one read per WABA.
    attempts.length = 0;
    const batched: Verdicts = new Map();
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600_000);
    started = performance.now();
    const app = (await client.listAppSubscriptions()).data;
    await pool(wabas, async (waba) => {
      const read = await client.getWabaHealth(token, waba.id);
      const fresh = new Map((read.phone_numbers?.data ?? []).map((n) => [n.id, n]));
      for (const number of waba.numbers) batched.set(number.id, evaluateNumberHealth(inputs(number, fresh.get(number.id) ?? null, read.subscribed_apps?.data ?? null, app, expiresAt)).verdict);
    });
    const batchedMs = performance.now() - started;
    const batchedCalls = attempts.length;

    const disagree = numbers.filter(({ number }) => naive.get(number.id) !== batched.get(number.id)).length;
    const count = (verdicts: Verdicts, v: string) => [...verdicts.values()].filter((x) => x === v).length;
    const total = numbers.length;
    const row = (name: string, calls: number, ms: number) =>
      `${name.padEnd(34)} ${String(calls).padStart(6)} calls  ${(calls / total).toFixed(2).padStart(5)} per number  ${(ms / 1000).toFixed(2).padStart(6)} s  ${((ms / total) * 1000).toFixed(0).padStart(6)} µs per number`;
    console.log(`Number-health refresh of ${total} numbers (${WABAS} WABAs × ${NUMBERS_PER_WABA}), +${LATENCY_MS} ms per Graph call, ${CONCURRENCY} calls in flight`);
    console.log(row('baseline: per number (4 reads each)', naiveCalls, naiveMs));
    console.log(row('ours: one expanded read per WABA', batchedCalls, batchedMs));
    console.log(`verdicts: ${count(batched, 'can_send')} can send, ${count(batched, 'limited')} limited, ${count(batched, 'cannot_send')} cannot send; paths disagree on ${disagree}`);
    console.log(`ours makes ${(naiveCalls / Math.max(1, batchedCalls)).toFixed(0)}× fewer Graph round trips and is ${(naiveMs / batchedMs).toFixed(1)}× faster`);
    if (disagree > 0) process.exitCode = 1;
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
