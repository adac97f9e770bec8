import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { TENANT_EVENT, type TenantRealtimeEvent } from '@waba/contracts';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../accounts/auth.service';
import { SESSION_COOKIE } from '../accounts/session-cookies';
import { ApiConfig } from '../config/api-config';

/**
 * Socket.IO on the API's own port, authenticated by the same session cookie as HTTP. Each socket
 * joins exactly one room, its tenant's, so events can never cross tenants.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class TenantEventsGateway implements OnGatewayConnection {
  @WebSocketServer() private server?: Server;
  private readonly logger = new Logger(TenantEventsGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly config: ApiConfig,
  ) {}

  async handleConnection(socket: Socket): Promise<void> {
    const origin = socket.handshake.headers.origin;
    // Browsers always send Origin on WebSocket/XHR; refusing foreign ones stops cross-site hijacking.
    if (origin && origin !== this.config.publicUrl && !isLoopbackOrigin(origin, this.config.publicUrl)) {
      socket.disconnect(true);
      return;
    }
    const token = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    const session = token ? await this.auth.resolveSession(token).catch(() => null) : null;
    if (!session) {
      socket.emit('unauthorized', { message: 'You are not signed in' });
      socket.disconnect(true);
      return;
    }
    await socket.join(roomOf(session.accountId));
  }

  publish(accountId: string, event: TenantRealtimeEvent): void {
    if (!this.server) {
      this.logger.warn('Realtime server not ready; event not pushed');
      return;
    }
    this.server.to(roomOf(accountId)).emit(TENANT_EVENT, event);
  }
}

function roomOf(accountId: string): string {
  return `account:${accountId}`;
}

/** `localhost` and `127.0.0.1` name the same machine; accept either for a loopback public URL. */
function isLoopbackOrigin(origin: string, publicUrl: string): boolean {
  const normalize = (url: string) => url.replace('://127.0.0.1', '://localhost');
  return normalize(origin) === normalize(publicUrl);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
