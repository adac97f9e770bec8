import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { parse as parseCookies } from 'cookie';
import type { Socket } from 'socket.io';
import { AuthService } from '../accounts/auth.service';
import { SESSION_COOKIE } from '../common/auth/session-cookie';
import { Clock } from '../common/clock/clock';
import { isOwnOrigin } from '../common/http/origins';
import { ApiConfig } from '../config/api-config';
import { MetricsService } from '../metrics/metrics.service';
import { sessionRoom, tenantRoom, userRoom } from './realtime-rooms';

/** setTimeout's longest delay (about 24.8 days); longer sessions re-arm the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Socket.IO on the API's own port (http instances), authenticated by the same session cookie as
 * HTTP. Each socket joins its tenant's room (events, through RealtimePublisher) and its session's
 * and user's rooms (so logout, removal and a password change close it from any instance); it is
 * closed here when its session expires.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class TenantEventsGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly auth: AuthService,
    private readonly config: ApiConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  async handleConnection(socket: Socket): Promise<void> {
    const origin = socket.handshake.headers.origin;
    // Browsers always send Origin on WebSocket/XHR; refusing foreign ones stops cross-site hijacking.
    if (origin && !isOwnOrigin(origin, this.config.publicUrl)) {
      socket.disconnect(true);
      return;
    }
    const token = sessionCookieOf(socket.handshake.headers.cookie);
    const session = token ? await this.auth.resolveSession(token).catch(() => null) : null;
    if (!token || !session) {
      socket.emit('unauthorized', { message: 'You are not signed in' });
      socket.disconnect(true);
      return;
    }
    await socket.join([tenantRoom(session.accountId), sessionRoom(session.sessionId), userRoom(session.userId)]);
    // A logout between the lookup and the join was broadcast before this socket was in its rooms.
    if (!(await this.auth.resolveSession(token).catch(() => null))) {
      socket.disconnect(true);
      return;
    }
    if (!socket.connected) return;
    // Counted once signed in and in its rooms; handleDisconnect takes it off again.
    (socket.data as { counted?: boolean }).counted = true;
    this.metrics.socketOpened();
    this.closeAt(socket, session.expiresAt);
  }

  handleDisconnect(socket: Socket): void {
    if ((socket.data as { counted?: boolean }).counted) this.metrics.socketClosed();
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
  }

  private closeAt(socket: Socket, expiresAt: Date): void {
    if (!socket.connected) return;
    const remaining = expiresAt.getTime() - this.clock.now().getTime();
    if (remaining <= 0) {
      socket.emit('unauthorized', { message: 'Your session has ended; please log in again' });
      socket.disconnect(true);
      return;
    }
    const timer = setTimeout(() => this.closeAt(socket, expiresAt), Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }
}

/** The session cookie from a raw Cookie header; a value that is not valid percent-encoding is kept as it came (and matches no session). */
export function sessionCookieOf(header: string | undefined): string | undefined {
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
}
