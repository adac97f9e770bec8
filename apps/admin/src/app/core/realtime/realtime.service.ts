import { DestroyRef, effect, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { TENANT_EVENT, type TenantRealtimeEvent } from '@waba/contracts/realtime';
import { Observable, Subject } from 'rxjs';
import { io } from 'socket.io-client';
import { SessionService } from '../session/session.service';

/** The part of a Socket.IO client socket this service uses; tests pass a fake. */
export interface RealtimeSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
  disconnect(): unknown;
}

export type RealtimeSocketFactory = () => RealtimeSocket;

/** Opens the socket: same origin, path /socket.io, authenticated by the session cookie. */
export const REALTIME_SOCKET_FACTORY = new InjectionToken<RealtimeSocketFactory>('REALTIME_SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => () => io({ path: '/socket.io', transports: ['websocket'], withCredentials: true }),
});

export type RealtimeStatus = 'offline' | 'connecting' | 'live';

/**
 * The tenant's live feed: one Socket.IO connection while someone is signed in (opened after
 * login, closed on logout), exposed as an observable of events and a status signal.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeService {
  private readonly createSocket = inject(REALTIME_SOCKET_FACTORY);
  private readonly session = inject(SessionService);
  private readonly feed = new Subject<TenantRealtimeEvent>();
  private readonly state = signal<RealtimeStatus>('offline');
  private socket: RealtimeSocket | null = null;

  readonly events$: Observable<TenantRealtimeEvent> = this.feed.asObservable();
  readonly status = this.state.asReadonly();

  constructor() {
    effect(() => {
      if (this.session.isSignedIn()) {
        this.connect();
      } else {
        this.disconnect();
      }
    });
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  /** Hands one event to every listener; the socket's handler, and tests, call this. */
  dispatch(event: TenantRealtimeEvent): void {
    this.feed.next(event);
  }

  private connect(): void {
    if (this.socket) {
      return;
    }
    this.state.set('connecting');
    const socket = this.createSocket();
    this.socket = socket;
    socket.on('connect', () => this.state.set('live'));
    socket.on('disconnect', () => this.state.set('connecting'));
    socket.on(TENANT_EVENT, (event: TenantRealtimeEvent) => this.dispatch(event));
  }

  private disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.state.set('offline');
  }
}
