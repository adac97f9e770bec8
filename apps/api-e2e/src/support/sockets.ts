import type { TenantRealtimeEvent } from '@waba/contracts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { runSecretScan } from './run-secret-scan';
import { type TestBrowser } from '@waba/testing';

export interface LiveSocket {
  socket: Socket;
  events: TenantRealtimeEvent[];
  /** Resolves with the reason when the server closes the socket. */
  closed: Promise<string>;
  close(): void;
}

/** The URL of an in-process test server, listening on a free port once asked. */
export function urlOf(server: Server): string {
  const listening = server.listening ? server : server.listen(0);
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

/** A browser's realtime socket, as the SPA opens it, connected (or the promise rejects). */
export async function openSocket(server: Server, browser: TestBrowser): Promise<LiveSocket> {
  const url = urlOf(server);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  // No Origin: a test app's PUBLIC_URL is not its random port (browsers send one; the gateway checks it).
  const socket = io(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: { Cookie: cookie } });
  const events: TenantRealtimeEvent[] = [];
  socket.on('tenant-event', (event: TenantRealtimeEvent) => events.push(event));
  socket.onAny((name: string, ...payload: unknown[]) => runSecretScan.recordText(`socket event ${name}`, JSON.stringify(payload)));
  const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  // The server joins rooms after its own session check; give it that moment before tests publish.
  await new Promise((resolve) => setTimeout(resolve, 150));
  if (!socket.connected) throw new Error('the server closed the socket right after connecting');
  return { socket, events, closed, close: () => socket.close() };
}

/** Resolves with 'closed' when the server closes the socket within the time, 'open' otherwise. */
export async function closedWithin(socket: LiveSocket, ms: number): Promise<'closed' | 'open'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), ms)));
  try {
    return await Promise.race([socket.closed.then(() => 'closed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
