import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ApiConfig } from '../config/api-config';
import { TokenSweepService } from './token-sweep.service';

const INTERVAL_NAME = 'token-check';

/**
 * Runs a sweep every TOKEN_CHECK_INTERVAL_SECONDS on every API instance. Sweeps on one instance
 * never overlap; across instances the claims keep them from working on the same credential.
 */
@Injectable()
export class TokenCheckScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenCheckScheduler.name);
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sweeps: TokenSweepService,
    private readonly registry: SchedulerRegistry,
    private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.TOKEN_CHECK_ENABLED) return;
    // The interval comes from configuration, so it is registered here rather than by @Interval().
    const handle = setInterval(() => void this.runOnce(), this.config.TOKEN_CHECK_INTERVAL_SECONDS * 1000);
    this.registry.addInterval(INTERVAL_NAME, handle);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  /** One scheduled sweep, skipped while the previous one still runs. */
  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = this.sweeps
      .sweep({ trigger: 'schedule' })
      .then((summary) => {
        const { checked, deferred } = summary.counts;
        if (checked + deferred > 0) this.logger.log(`Token check: ${JSON.stringify(summary.counts)} in ${summary.durationMs} ms`);
      })
      .catch((error: Error) => this.logger.error(`Token check sweep failed: ${error.message}`))
      .finally(() => (this.running = null));
    await this.running;
  }
}
