/** Meta credentials (tokens) per tenant, encrypted at rest; used by onboarding and phone numbers. */
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TokenCipher } from '../common/crypto/token-cipher';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { MetaConnection, MetaConnectionSchema } from './meta-connection.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: MetaConnection.name, schema: MetaConnectionSchema }])],
  providers: [CredentialsRepository, CredentialsService, TokenCipher],
  // The model too: the token check keeps its claim queries in its own repository.
  exports: [CredentialsService, CredentialsRepository, TokenCipher, MongooseModule],
})
export class CredentialsModule {}
