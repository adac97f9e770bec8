import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiConfig } from '../config/api-config';
import { MetricsService } from './metrics.service';

/** False in operator commands (maintenance/cli.module.ts): METRICS_PORT belongs to the API. */
export const METRICS_PORT_ENABLED = Symbol('METRICS_PORT_ENABLED');

export type PortRoute = () => Promise<{ status: number; body: unknown }>;

/**
 * The private listener on METRICS_PORT, in every role: `/metrics` plus the routes the health
 * module adds (its probes), nothing of the API. A worker has no other port; an http instance keeps
 * its metrics off the public one. Opened once the app has started, closed last on shutdown, so
 * the probes answer "draining" while the instance finishes its work.
 */
@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsPortServer.name);
  private readonly routes = new Map<string, PortRoute>();
  private server?: Server;

  constructor(
    private readonly config: ApiConfig,
    private readonly metrics: MetricsService,
    @Inject(METRICS_PORT_ENABLED) private readonly enabled: boolean,
  ) {}

  /** A GET route answered with JSON (the health probes). */
  addRoute(path: string, route: PortRoute): void {
    this.routes.set(path, route);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined || !this.enabled) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, () => resolve()));
    this.server = server;
    this.logger.log(`Metrics and health probes on port ${port} (/metrics, ${[...this.routes.keys()].join(', ')})`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://metrics.invalid').pathname;
    const route = this.routes.get(path);
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'application/json', JSON.stringify({ statusCode: 405, message: 'Only GET is answered here' }));
    try {
      if (path === '/metrics') return send(response, 200, this.metrics.contentType, await this.metrics.scrape());
      if (route) {
        const { status, body } = await route();
        return send(response, status, 'application/json', JSON.stringify(body));
      }
      send(response, 404, 'application/json', JSON.stringify({ statusCode: 404, message: 'This port serves /metrics and the health probes only' }));
    } catch (error) {
      this.logger.error({ err: error }, `Metrics port: ${path} failed`);
      send(response, 500, 'application/json', JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
    }
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}
