/** Meta credentials (tokens) per tenant, encrypted at rest; used by onboarding and phone numbers. */
import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Clock } from '../common/clock/clock';
import { TokenCipher } from '../common/crypto/token-cipher';
import { MetricsService } from '../metrics/metrics.service';
import { expiryBuckets } from './credential-metrics';
import { CredentialChecksRepository } from './credential-checks.repository';
import { CredentialChecksService } from './credential-checks.service';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { MetaConnection, MetaConnectionSchema } from './meta-connection.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: MetaConnection.name, schema: MetaConnectionSchema }])],
  providers: [CredentialsRepository, CredentialChecksRepository, CredentialsService, CredentialChecksService, TokenCipher],
  // The only writer of `meta_connections`: the token check asks CredentialChecksService.
  exports: [CredentialsService, CredentialChecksService, TokenCipher],
})
export class CredentialsModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly repository: CredentialsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Read at scrape time: two small reads, no bookkeeping on every status change.
    this.metrics.onScrape('credentials', async () => {
      const [byStatus, expiries] = await Promise.all([this.repository.countByStatus(), this.repository.usableExpiries()]);
      this.metrics.credentialCounts(byStatus, expiryBuckets(expiries, this.clock.now()));
    });
  }
}
