/**
 * The Mongoose connection. Commands are not buffered and server selection is bounded, so a
 * request fails fast with 503 when the database is unreachable instead of hanging.
 */
import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ApiConfig } from '../config/api-config';

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => ({
        uri: config.MONGODB_URI,
        bufferCommands: false,
        serverSelectionTimeoutMS: config.DATABASE_TIMEOUT_MS,
        connectTimeoutMS: config.DATABASE_TIMEOUT_MS,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** Unique indexes must exist before the first request relies on them. */
  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
  }
}
