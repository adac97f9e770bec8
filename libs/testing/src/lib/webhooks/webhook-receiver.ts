// A real node:http webhook receiver for tests: answers the GET handshake when the verify token
// matches, records every POST's raw bytes and headers, and answers POSTs from a script of statuses.
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedPost {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  posts: ReceivedPost[];
  handshakes: number;
  /** Statuses for the next POSTs, in order; afterwards 200. */
  answer(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(verifyToken = 'receiver-verify-token'): Promise<WebhookReceiver> {
  let script: number[] = [];
  const receiver = { posts: [] as ReceivedPost[], handshakes: 0 };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    if (request.method === 'GET') {
      receiver.handshakes += 1;
      const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === verifyToken;
      response.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = script.shift() ?? 200;
      receiver.posts.push({ rawBody: Buffer.concat(chunks), headers: request.headers, status });
      response.writeHead(status).end(status === 200 ? 'EVENT_RECEIVED' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    get posts() {
      return receiver.posts;
    },
    get handshakes() {
      return receiver.handshakes;
    },
    answer: (statuses) => {
      script = [...statuses];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` passes or the time is up. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
