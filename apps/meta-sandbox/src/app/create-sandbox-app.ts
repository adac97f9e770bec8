// The sandbox as a Nest application that is not yet listening: main.ts starts it on its port,
// tests on port 0.
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_SANDBOX_OPTIONS, SandboxOptions } from './sandbox-options';
import { SandboxModule } from './sandbox.module';

export interface CreateSandboxAppOptions extends Partial<Omit<SandboxOptions, 'webhookRetry'>> {
  webhookRetry?: Partial<SandboxOptions['webhookRetry']>;
  /** Nest log levels; false silences the framework (tests). */
  logger?: LogLevel[] | false;
}

export async function createSandboxApp(options: CreateSandboxAppOptions = {}): Promise<INestApplication> {
  const { logger, webhookRetry, ...rest } = options;
  const resolved: SandboxOptions = {
    ...DEFAULT_SANDBOX_OPTIONS,
    ...withoutUndefined(rest),
    webhookRetry: { ...DEFAULT_SANDBOX_OPTIONS.webhookRetry, ...webhookRetry },
  };
  const app = await NestFactory.create<NestExpressApplication>(SandboxModule.forRoot(resolved), {
    logger: logger ?? ['log', 'warn', 'error'],
  });
  // sdk.js and the Graph API are called from the SPA's origin, whatever port it runs on.
  app.enableCors({ origin: true, credentials: false });
  app.set('trust proxy', true);
  return app;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
