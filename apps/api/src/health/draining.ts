import { BeforeApplicationShutdown, Injectable, Logger, NestMiddleware, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A request or job still running after this long no longer holds the shutdown up. */
const DRAIN_LIMIT_MS = 60_000;

/**
 * Shutting down in order (SIGTERM, or app.close()): readiness reports `draining` at once (the
 * first shutdown hook), then the BullMQ workers take no new jobs and finish their running ones,
 * and in-flight HTTP requests are answered; only then does Nest close the HTTP server, the
 * database and Redis (their own shutdown hooks, which come later).
 */
@Injectable()
export class Draining implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(Draining.name);
  private started = false;
  private inFlight = 0;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get draining(): boolean {
    return this.started;
  }

  onModuleDestroy(): void {
    this.started = true;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.started = true;
    // Connections close once their current response is sent, instead of idling for the
    // keep-alive timeout (5 s) before the server can close: clients reconnect to another instance.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.keepAliveTimeout = 1;
    const workers = this.workers();
    this.logger.log(`Draining${signal ? ` on ${signal}` : ''}: ${this.inFlight} request(s) in flight, ${workers.length} job worker(s) finishing their jobs`);
    const done = Promise.all([Promise.all(workers.map((worker) => worker.close())), this.requestsAnswered()]);
    const limit = sleep(DRAIN_LIMIT_MS, 'limit' as const, { ref: false });
    if ((await Promise.race([done, limit])) === 'limit') this.logger.warn(`Draining: still busy after ${DRAIN_LIMIT_MS} ms, shutting down anyway`);
  }

  /** Counts the HTTP requests being answered (InFlightRequests, below, calls it for each). */
  track(response: Response): void {
    this.inFlight++;
    response.once('close', () => this.inFlight--);
  }

  private async requestsAnswered(): Promise<void> {
    while (this.inFlight > 0) await sleep(20);
  }

  /** This process's BullMQ workers (none in an http-only instance). */
  private workers(): Worker[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .flatMap((host) => {
        try {
          return [host.worker];
        } catch {
          return []; // not started (the worker is created when the app initialises)
        }
      });
  }
}

@Injectable()
export class InFlightRequests implements NestMiddleware {
  constructor(private readonly draining: Draining) {}

  use(_request: Request, response: Response, next: NextFunction): void {
    this.draining.track(response);
    next();
  }
}
