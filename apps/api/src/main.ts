import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { createApiApp } from './app/create-api-app';
import { InvalidConfigError, loadApiConfig, type ApiConfig } from './config/api-config';
import { lowerCpuPriority } from './app/worker-priority';

/** `http` and `all` serve HTTP (and Socket.IO); a `worker` only runs background jobs (and METRICS_PORT, when set). */
async function bootstrap(): Promise<void> {
  const config = loadApiConfig(process.env);
  if (config.servesHttp) await serveHttp(config);
  else await runWorker(config);
}

async function serveHttp(config: ApiConfig): Promise<void> {
  const app = await createApiApp(config);
  exitCleanlyOnSignals(app);
  await app.listen(config.API_PORT);
  const role = config.runsJobs ? 'API and worker' : 'API';
  console.log(`WABA Connect ${role} listening on ${config.publicUrl} (docs: ${config.publicUrl}/api/docs)${metricsNote(config)}`);
}

async function runWorker(config: ApiConfig): Promise<void> {
  // Sharing a host with http instances, applying must not delay answering Meta (bench:webhooks' p99).
  const notLowered = lowerCpuPriority(config.WORKER_NICE);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  exitCleanlyOnSignals(app);
  await app.init();
  if (notLowered) app.get(Logger).warn(`WORKER_NICE ${config.WORKER_NICE} could not be applied: ${notLowered}`);
  console.log(`WABA Connect worker running (pid ${process.pid})${metricsNote(config)}`);
}

/**
 * SIGTERM/SIGINT: Nest's shutdown hooks drain first (health/draining.ts: readiness 503, running
 * jobs and in-flight requests finish), then close; the process exits 0 rather than re-raising
 * the signal, so an orchestrator sees a clean stop.
 */
function exitCleanlyOnSignals(app: INestApplicationContext): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
}

function metricsNote(config: ApiConfig): string {
  return config.METRICS_PORT === undefined ? '' : `; metrics and probes on port ${config.METRICS_PORT}`;
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
});
