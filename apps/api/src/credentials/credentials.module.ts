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
  exports: [CredentialsService, CredentialsRepository, TokenCipher],
})
export class CredentialsModule {}
