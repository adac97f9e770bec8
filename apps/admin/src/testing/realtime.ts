import type { Provider } from '@angular/core';
import { REALTIME_SOCKET_FACTORY, type RealtimeSocket } from '../app/core/realtime/realtime.service';

/** A socket that never touches the network: tests fire its events by hand. */
export class FakeSocket implements RealtimeSocket {
  readonly listeners = new Map<string, Array<(...args: never[]) => void>>();
  disconnected = false;

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  disconnect(): this {
    this.disconnected = true;
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as (...values: unknown[]) => void)(...args);
    }
  }
}

/** Replaces the Socket.IO connection; `sockets` lists every socket the service opened. */
export function provideFakeRealtime(): { providers: Provider[]; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    providers: [
      {
        provide: REALTIME_SOCKET_FACTORY,
        useValue: () => {
          const socket = new FakeSocket();
          sockets.push(socket);
          return socket;
        },
      },
    ],
  };
}
