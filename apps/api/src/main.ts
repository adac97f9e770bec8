import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { createApiApp } from './app/create-api-app';
import { InvalidConfigError, loadApiConfig, type ApiConfig } from './config/api-config';

/** `http` and `all` serve HTTP (and Socket.IO); a `worker` only runs background jobs. */
async function bootstrap(): Promise<void> {
  const config = loadApiConfig(process.env);
  if (config.servesHttp) await serveHttp(config);
  else await runWorker(config);
}

async function serveHttp(config: ApiConfig): Promise<void> {
  const app = await createApiApp(config);
  await app.listen(config.API_PORT);
  const role = config.runsJobs ? 'API and worker' : 'API';
  console.log(`WABA Connect ${role} listening on ${config.publicUrl} (docs: ${config.publicUrl}/api/docs)`);
}

async function runWorker(config: ApiConfig): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  console.log(`WABA Connect worker running (pid ${process.pid})`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
});
