import { BadRequestException, ValidationPipe, type INestApplication, type ValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, raw, urlencoded, type Express } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import { bodyParserErrors, checkJsonBody, readCookies } from '../common/http/request-hygiene';
import { mountQueueDashboard } from './queue-dashboard';
import { serveOpenApiDocument } from '../openapi/openapi-document';
import { PUBLIC_METRICS_PATH } from '../metrics/metrics.module';
import { RedisIoAdapter } from '../realtime/redis-io.adapter';
import { WebhookIngestService } from '../webhooks/webhook-ingest.service';
import { WEBHOOK_DELIVERY_ROUTE, WEBHOOK_PATH, webhookReceiver } from '../webhooks/webhook-receiver';
import { PROFILE_PHOTO_PATH } from '../number-settings/number-settings.controller';
import type { ApiConfig } from '../config/api-config';
import { AppModule, type AppModuleOptions } from './app.module';

/** Routes mounted on express ahead of Nest below, as the OpenAPI document describes them. */
export const ROUTES_AHEAD_OF_NEST = [WEBHOOK_DELIVERY_ROUTE];

/** Builds the fully configured API (not yet listening); shared by main.ts and the e2e tests. */
export async function createApiApp(config: ApiConfig, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), { bufferLogs: true, bodyParser: false });
  // Meta's deliveries first, as an express route ahead of Nest's pipeline (webhook-receiver.ts):
  // raw bytes (the signature covers them), up to 3 MB, Meta's maximum; everything else is small JSON.
  (app.getHttpAdapter().getInstance() as Express).post(WEBHOOK_PATH, raw({ type: () => true, limit: '3mb' }), bodyParserErrors, webhookReceiver(app.get(WebhookIngestService)));
  // A profile photo is the one file upload: its bytes as the body, up to Meta's 5 MB.
  app.use(PROFILE_PHOTO_PATH, raw({ type: ['image/jpeg', 'image/png', 'application/octet-stream'], limit: '5mb' }));
  app.use(json({ limit: '100kb' }));
  app.use(urlencoded({ extended: false, limit: '100kb' }));
  // Refused here, with our error shape: a parser failure would otherwise surface as a 404 or a 500.
  app.use(bodyParserErrors, checkJsonBody);
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  // Realtime events from any instance or worker reach this instance's sockets through Redis.
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  app.useLogger(app.get(Logger));
  // /metrics (only with METRICS_ON_PUBLIC_PORT) sits at the root, where Prometheus looks by default.
  app.setGlobalPrefix('api', config.METRICS_ON_PUBLIC_PORT ? { exclude: [PUBLIC_METRICS_PATH] } : {});
  app.disable('x-powered-by');
  // Embedded Signup loads Meta's SDK (or the sandbox's) from another origin; the SDK frames and
  // calls Meta's dialog and Graph origins.
  const meta = [...new Set([config.META_SDK_URL, config.META_DIALOG_URL, config.META_GRAPH_URL].map((url) => new URL(url).origin))];
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", ...meta], 'connect-src': ["'self'", ...meta], 'frame-src': ["'self'", ...meta], 'img-src': ["'self'", 'data:', ...meta] },
      },
      // The Embedded Signup popup talks back to this window through window.opener.
      crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    }),
  );
  app.use(readCookies);
  mountQueueDashboard(app, config);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const details = flattenValidationErrors(errors);
        return new BadRequestException({ message: `Invalid request: ${details.join('; ')}`, details });
      },
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  serveOpenApiDocument(app, ROUTES_AHEAD_OF_NEST);
  return app;
}

function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith('property ') ? `${path} is not an allowed field` : message));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
