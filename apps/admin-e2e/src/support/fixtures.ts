/**
 * The `test` every browser spec uses: Playwright's, plus an automatic recorder for the run-wide
 * secret scan. Every API answer the browser receives (status, headers, body), every realtime frame,
 * and the secret fields of every request the API accepted are appended to
 * `test-results/secret-scan/browser.ndjson`; `zz-secret-scan.spec.ts`, which runs last, searches
 * them and the API's log for every secret the run created.
 */
import { test as base, expect, type BrowserContext, type Response, type WebSocket } from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SECRET_REQUEST_FIELDS } from '@waba/testing';
import { BROWSER_EXCHANGES_FILE, type RecordedBrowserExchange } from './secret-scan-files';

function append(entry: RecordedBrowserExchange): void {
  mkdirSync(dirname(BROWSER_EXCHANGES_FILE), { recursive: true });
  appendFileSync(BROWSER_EXCHANGES_FILE, `${JSON.stringify(entry)}\n`);
}

async function recordResponse(response: Response, testTitle: string): Promise<void> {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/api/')) return;
  const request = response.request();
  const acceptedSecrets: Array<{ label: string; value: string }> = [];
  if (response.status() >= 200 && response.status() < 300) {
    let body: unknown;
    try {
      body = request.postDataJSON();
    } catch {
      body = undefined;
    }
    for (const field of SECRET_REQUEST_FIELDS) {
      const value = (body as Record<string, unknown> | null | undefined)?.[field];
      if (typeof value === 'string' && value.length >= 8) acceptedSecrets.push({ label: `${field} sent to ${url.pathname}`, value });
    }
  }
  const headers = await response.allHeaders().catch(() => ({}) as Record<string, string>);
  const setCookie = (await response.headersArray().catch(() => [])).filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  // Redirects and aborted loads have no body to read.
  const text = response.status() >= 300 && response.status() < 400 ? '' : await response.text().catch(() => '');
  append({
    where: `${testTitle}: ${request.method()} ${url.pathname}`,
    status: response.status(),
    headers: { ...headers, 'set-cookie': setCookie },
    text,
    acceptedSecrets,
  });
}

function recordFrames(socket: WebSocket, testTitle: string): void {
  socket.on('framereceived', ({ payload }) => {
    append({ where: `${testTitle}: realtime frame`, status: 0, headers: {}, text: typeof payload === 'string' ? payload : payload.toString('utf8'), acceptedSecrets: [] });
  });
}

/**
 * Records one browser context for the secret scan (the test's own context is recorded
 * automatically; a second context, such as a signed-out visitor's, is passed here). The returned
 * function waits for the recordings and stops recording.
 */
export function recordForSecretScan(context: BrowserContext, title: string): () => Promise<void> {
  const pending = new Set<Promise<void>>();
  const onResponse = (response: Response) => {
    const recording = recordResponse(response, title).finally(() => pending.delete(recording));
    pending.add(recording);
  };
  context.on('response', onResponse);
  const watchPage = (page: import('@playwright/test').Page) => page.on('websocket', (socket) => recordFrames(socket, title));
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  return async () => {
    await Promise.all(pending);
    context.off('response', onResponse);
  };
}

export const test = base.extend<{ secretScanRecorder: void }>({
  secretScanRecorder: [
    async ({ context }, use, testInfo) => {
      const stop = recordForSecretScan(context, testInfo.titlePath.slice(1).join(' › '));
      await use();
      await stop();
    },
    { auto: true },
  ],
});

export { expect };
