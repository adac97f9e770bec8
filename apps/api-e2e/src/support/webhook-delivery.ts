import request from 'supertest';
import { webhooksSettled } from './jobs';
import type { TestApp } from './test-app';
import { signed } from '@waba/testing';

/** Sends one signed delivery over real HTTP, as Meta does; resolves with the status, or 0 when nothing answered. */
export async function postDelivery(baseUrl: string, payload: object): Promise<number> {
  const message = signed(JSON.stringify(payload));
  try {
    const response = await fetch(`${baseUrl}/api/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': message.signature },
      body: new Uint8Array(message.body),
      signal: AbortSignal.timeout(5000),
    });
    return response.status;
  } catch {
    return 0;
  }
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Waits for `count()` to reach `target` for as long as it keeps moving: fails when it has not
 * grown for `stallMs` (work stopped), not after a fixed time a slow machine may need to exceed.
 */
export async function waitWhileProgressing(count: () => Promise<number>, target: number, stallMs: number, what: string): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const now = await count();
    if (now >= target) return;
    if (now !== last) [last, movedAt] = [now, Date.now()];
    if (Date.now() - movedAt > stallMs) throw new Error(`timed out waiting for ${what}: ${now} of ${target}, no progress for ${stallMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One signed delivery to the in-process app, resolved with its status once the workers applied it. */
export async function deliverAndSettle(api: TestApp, payload: object): Promise<number> {
  const message = signed(JSON.stringify(payload));
  const response = await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', message.signature).send(message.body.toString('utf8'));
  await webhooksSettled(api.app);
  return response.status;
}
