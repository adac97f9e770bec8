import { DynamicModule, Global, Module } from '@nestjs/common';
import { ApiConfig } from './api-config';

/** Makes the validated configuration injectable everywhere as `ApiConfig`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ApiConfig, useValue: config }], exports: [ApiConfig] };
  }
}
