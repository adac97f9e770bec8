import { Injectable } from '@nestjs/common';
import { describeCredentialConflict, describeCredentialSource, type CredentialChoice, type ManualPhoneNumberRequest, type PhoneNumberView } from '@waba/contracts';
import { toPhoneNumberFacts } from '@waba/meta-graph';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { ConflictError, ForbiddenError, InvalidRequestError, UpstreamError } from '../common/errors/domain-errors';
import { CredentialsService, type ConnectionRecord } from '../credentials/credentials.service';
import { MetricsService } from '../metrics/metrics.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { DiscoveryService } from './discovery.service';
import { rethrowAsDomainError } from './onboarding.service';

/** Credentials a pasted token must not replace without the tenant's say: they came from Meta's consent. */
const CONSENTED_SOURCES = new Set(['embedded_signup', 'oauth']);

/**
 * The original manual add, verified first: the token must be valid, must reach the WABA, and the
 * number must belong to that WABA. When the WABA already works with a credential from Embedded
 * Signup or OAuth, the tenant chooses which one to keep (409 until they do); the choice is audited.
 */
@Injectable()
export class ManualNumbersService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly credentials: CredentialsService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  add(tenant: TenantContext, request: ManualPhoneNumberRequest): Promise<PhoneNumberView> {
    return this.metrics.onboarding('manual_add', 'connect', () => this.verifyAndConnect(tenant, request));
  }

  private async verifyAndConnect(tenant: TenantContext, request: ManualPhoneNumberRequest): Promise<PhoneNumberView> {
    const { debug, wabas } = await this.discovery.discover(request.accessToken, [request.wabaId]).catch(rethrowAsDomainError('Meta did not accept these credentials'));
    const waba = wabas.find((w) => w.id === request.wabaId);
    if (!waba) throw new ForbiddenError(`This access token cannot manage WhatsApp Business Account ${request.wabaId}`);
    const number = waba.phone_numbers?.data.find((n) => n.id === request.phoneNumberId);
    if (!number) throw new InvalidRequestError(`Phone number ${request.phoneNumberId} does not belong to WhatsApp Business Account ${request.wabaId}`);

    const existing = await this.consentedCredentialOf(tenant.accountId, request.wabaId);
    if (existing && !request.credentialChoice) {
      throw new ConflictError(describeCredentialConflict({ wabaId: request.wabaId, source: existing.source, savedAt: existing.savedAt, now: this.clock.now() }), { code: 'credential_choice_needed' });
    }
    const keep = existing !== null && request.credentialChoice === 'keep-existing';
    const connectionId = keep
      ? existing.id
      : (
          await this.credentials.saveGrant(
            tenant,
            request.accessToken,
            'manual',
            debug,
            wabas.map((w) => w.id),
          )
        ).id;

    const [outcome] = await this.phoneNumbers.connectSelection(tenant, connectionId, 'manual', [{ waba, numbers: [toPhoneNumberFacts(number)] }]);
    if (outcome.takenByAnotherTenant) throw new ConflictError(outcome.message ?? 'This number is connected to another account');
    if (outcome.state !== 'connected') throw new UpstreamError(outcome.message ?? 'The number could not be connected');
    const display = number.display_phone_number ?? number.id;
    await this.audit.record(tenant, 'phone_number.added_manually', `Number ${display}`, `WABA ${waba.id}`);
    if (existing) await this.audit.record(tenant, 'connection.choice', `WABA ${waba.id}`, choiceInWords(request.credentialChoice ?? 'use-new', existing));
    return this.phoneNumbers.numberView(tenant, number.id);
  }

  /** The WABA's current credential when it is connected here, came from Meta's consent and still works. */
  private async consentedCredentialOf(accountId: string, wabaId: string): Promise<ConnectionRecord | null> {
    const waba = await this.phoneNumbers.forTenant(accountId).waba(wabaId);
    if (!waba || waba.state !== 'connected') return null;
    const connection = await this.credentials.find(accountId, String(waba.connectionId));
    if (!connection || !CONSENTED_SOURCES.has(connection.source)) return null;
    return connection.status === 'active' || connection.status === 'expiring' ? connection : null;
  }
}

function choiceInWords(choice: CredentialChoice, existing: ConnectionRecord): string {
  const source = describeCredentialSource(existing.source);
  return choice === 'keep-existing' ? `Kept the credential from ${source}; the pasted token was checked with Meta and not stored` : `Replaced the credential from ${source} with the pasted token`;
}
