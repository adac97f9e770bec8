import { Injectable, OnModuleDestroy, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadApiConfig } from '../config/api-config';
import { CliModule } from '../maintenance/cli.module';

/**
 * The API's modules for a command, created on first use: parsing, --help and usage errors need
 * no settings and no database; a command that does work loads and validates the settings then.
 */
@Injectable()
export class OperatorContext implements OnModuleDestroy {
  private context?: Promise<INestApplicationContext>;

  async get<T>(service: Type<T>): Promise<T> {
    this.context ??= Promise.resolve().then(() => NestFactory.createApplicationContext(CliModule.forRoot(loadApiConfig(process.env)), { logger: ['error', 'warn'] }));
    return (await this.context).get(service);
  }

  async onModuleDestroy(): Promise<void> {
    const context = await this.context?.catch(() => undefined);
    await context?.close();
  }
}
