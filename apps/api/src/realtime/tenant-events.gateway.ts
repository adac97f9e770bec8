import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { parse as parseCookies } from 'cookie';
import type { Socket } from 'socket.io';
import { AuthService } from '../accounts/auth.service';
import { SESSION_COOKIE } from '../accounts/session-cookies';
import { ApiConfig } from '../config/api-config';
import { tenantRoom } from './realtime-rooms';

/**
 * Socket.IO on the API's own port (http instances), authenticated by the same session cookie as
 * HTTP. Each socket joins exactly one room, its tenant's; events reach it through
 * RealtimePublisher, from whichever process produced them.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class TenantEventsGateway implements OnGatewayConnection {
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
    const token = sessionCookieOf(socket.handshake.headers.cookie);
    const session = token ? await this.auth.resolveSession(token).catch(() => null) : null;
    if (!session) {
      socket.emit('unauthorized', { message: 'You are not signed in' });
      socket.disconnect(true);
      return;
    }
    await socket.join(tenantRoom(session.accountId));
  }
}

/** `localhost` and `127.0.0.1` name the same machine; accept either for a loopback public URL. */
function isLoopbackOrigin(origin: string, publicUrl: string): boolean {
  const normalize = (url: string) => url.replace('://127.0.0.1', '://localhost');
  return normalize(origin) === normalize(publicUrl);
}

/** The session cookie from a raw Cookie header; a value that is not valid percent-encoding is kept as it came (and matches no session). */
export function sessionCookieOf(header: string | undefined): string | undefined {
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
}
