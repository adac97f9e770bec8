import { Injectable, Logger } from '@nestjs/common';
import type { NumberHealthListView, NumberHealthView, NumberVerdict } from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, type AppSubscription, type WabaHealthRead } from '@waba/meta-graph';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { pinBinding, TokenCipher } from '../common/crypto/token-cipher';
import { DomainError, InvalidRequestError, NotFoundError } from '../common/errors/domain-errors';
import { DomainEvents } from '../common/events/domain-events';
import { ApiConfig } from '../config/api-config';
import { CredentialsService } from '../credentials/credentials.service';
import { describeGraphError, PhoneNumbersService, type WabaRecord } from '../phone-numbers/phone-numbers.service';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { EventsService } from '../webhooks/events.service';
import { evaluateNumberHealth, verdictLabel, type HealthInputs } from './number-health-rules';
import { NumberHealthRepository, type NumberHealthRecord } from './number-health.repository';

/** Our app's webhook subscription is the same for every WABA: background refreshes share a read for this long. */
const APP_SUBSCRIPTION_TTL_MS = 10_000;
/** WABAs of one tenant read at once by "Check now". */
const WABAS_AT_ONCE = 4;

type WabaRead = { read: WabaHealthRead | null; failure: HealthInputs['readFailure'] };

/**
 * One verdict per connected number: each refresh reads a WABA in one Graph call (its health,
 * `subscribed_apps` and every number with its `health_status`), adds our own facts (credential,
 * last webhook, registration) and stores the verdict. A change of verdict is a tenant event. The
 * number's stored facts (quality, limit, name) stay with "Test connection" and the webhooks, so a
 * background read never moves the active number behind a person's back.
 */
@Injectable()
export class NumberHealthService {
  private readonly logger = new Logger(NumberHealthService.name);
  private appSubscriptions: { at: number; read: Promise<AppSubscription[] | null> } | null = null;

  constructor(
    private readonly repository: NumberHealthRepository,
    private readonly numbers: PhoneNumbersService,
    private readonly budget: RegistrationBudgetService,
    private readonly credentials: CredentialsService,
    private readonly graph: MetaGraphClient,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly realtime: RealtimePublisher,
    private readonly domainEvents: DomainEvents,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  async list(tenant: TenantContext): Promise<NumberHealthListView> {
    return { numbers: (await this.repository.list(tenant.accountId)).map(toView) };
  }

  /** "Check now": every connected WABA of the tenant, read from Meta again. */
  async refreshTenant(tenant: TenantContext): Promise<NumberHealthListView> {
    const wabas = (await this.numbers.forTenant(tenant.accountId).wabas()).filter((w) => w.state !== 'disconnected');
    // A person asked: our app's subscription is read afresh, once for all their WABAs.
    const appSubscriptions = wabas.length > 0 ? this.readAppSubscriptions({ fresh: true }) : undefined;
    for (let i = 0; i < wabas.length; i += WABAS_AT_ONCE) {
      await Promise.all(wabas.slice(i, i + WABAS_AT_ONCE).map((waba) => this.refreshWaba(tenant.accountId, waba.wabaId, appSubscriptions)));
    }
    return this.list(tenant);
  }

  /**
   * Reads one WABA from Meta (one Graph call) and stores the verdict of each of its connected
   * numbers. Our app's own subscription is one more call, shared by the refreshes of a few seconds.
   */
  async refreshWaba(accountId: string, wabaId: string, appSubscriptionsRead?: Promise<AppSubscription[] | null>): Promise<NumberHealthView[]> {
    const waba = await this.numbers.forTenant(accountId).waba(wabaId);
    if (!waba) return [];
    const connected = (await this.numbers.forTenant(accountId).numbersOfWaba(wabaId)).filter((n) => n.state === 'connected');
    await this.repository.removeExcept(
      accountId,
      wabaId,
      connected.map((n) => n.phoneNumberId),
    );
    if (connected.length === 0) return [];

    const { read, failure } = waba.state === 'revoked' ? { read: null, failure: null } : await this.readWaba(accountId, waba);
    const [connection, lastWebhookAt, appSubscriptions] = await Promise.all([
      this.credentials.find(accountId, String(waba.connectionId)),
      this.events.lastWebhookAt(accountId, wabaId),
      appSubscriptionsRead ?? this.readAppSubscriptions({ fresh: false }),
    ]);
    const freshById = new Map((read?.phone_numbers?.data ?? []).map((n) => [n.id, n]));
    const now = this.clock.now();
    const views: NumberHealthView[] = [];
    for (const number of connected) {
      const fresh = freshById.get(number.phoneNumberId) ?? null;
      const result = evaluateNumberHealth({
        number: {
          phoneNumberId: number.phoneNumberId,
          displayPhone: number.displayPhone,
          registration: number.registration,
          hasStoredPin: number.encryptedPin !== null,
          connectedAt: number.connectedAt,
        },
        fresh,
        waba: { state: waba.state, restriction: waba.restriction },
        subscribedApps: read?.subscribed_apps?.data ?? null,
        appSubscriptions,
        readFailure: failure,
        connection: connection && { status: connection.status, expiresAt: connection.expiresAt, dataAccessExpiresAt: connection.dataAccessExpiresAt },
        lastWebhookAt,
        appId: this.config.META_APP_ID,
        callbackUrl: `${this.config.publicUrl}/api/webhooks/whatsapp`,
        now,
      });
      const record = { phoneNumberId: number.phoneNumberId, wabaId, displayPhone: number.displayPhone, verdict: result.verdict, summary: result.summary, checks: result.checks, checkedAt: now };
      const previous = await this.repository.replace(accountId, record);
      await this.recordChange(accountId, previous, record);
      const view = toView({ ...record, accountId });
      this.realtime.publish(accountId, { type: 'number-health.updated', health: view });
      views.push(view);
    }
    return views;
  }

  /** The fix "subscribe again": a plain subscribe, which also takes back an override set elsewhere (docs/meta.md §4.1). */
  async resubscribe(tenant: TenantContext, wabaId: string): Promise<NumberHealthView[]> {
    const waba = await this.numbers.forTenant(tenant.accountId).waba(wabaId);
    if (!waba || waba.state === 'disconnected') throw new NotFoundError('WhatsApp Business Account not found');
    const token = await this.credentials.tokenOf(tenant.accountId, String(waba.connectionId));
    try {
      await this.graph.subscribeApp(token, wabaId);
    } catch (error) {
      throw new InvalidRequestError(`Meta did not subscribe WABA Connect again: ${describeGraphError(error)}`, { cause: error });
    }
    await this.numbers.forTenant(tenant.accountId).markSubscribed(wabaId);
    await this.audit.record(tenant, 'waba.subscribed', `WABA ${wabaId}`, 'Subscribed again from the number health check');
    return this.refreshWaba(tenant.accountId, wabaId, this.readAppSubscriptions({ fresh: true }));
  }

  /**
   * The fix "register again" with the PIN we keep: exactly one attempt, counted against Meta's
   * budget like every other, and refused in words when the budget has no attempt left.
   */
  async reRegister(tenant: TenantContext, phoneNumberId: string): Promise<NumberHealthView[]> {
    const number = await this.numbers.forTenant(tenant.accountId).number(phoneNumberId);
    if (!number || number.state !== 'connected') throw new NotFoundError('Phone number not found');
    if (!number.encryptedPin) throw new InvalidRequestError('WABA Connect keeps no two-step PIN for this number, so it cannot register it; register it from WhatsApp Manager.');
    await this.budget.requireRoom(tenant.accountId, phoneNumberId);
    const waba = await this.numbers.forTenant(tenant.accountId).waba(number.wabaId);
    const token = await this.credentials.tokenOf(tenant.accountId, String(waba?.connectionId ?? number.connectionId));
    const pin = this.cipher.decrypt(number.encryptedPin, pinBinding(tenant.accountId, phoneNumberId));
    try {
      await this.budget.register(tenant.accountId, phoneNumberId, token, pin);
    } catch (error) {
      await this.numbers.forTenant(tenant.accountId).recordRegistration(phoneNumberId, 'failed');
      throw new InvalidRequestError(`Registering the number again failed: ${describeGraphError(error)}`, { cause: error });
    }
    await this.numbers.forTenant(tenant.accountId).recordRegistration(phoneNumberId, 'registered');
    await this.audit.record(tenant, 'phone_number.registered', `Number ${number.displayPhone}`, 'Registered again from the number health check');
    return this.refreshWaba(tenant.accountId, number.wabaId, this.readAppSubscriptions({ fresh: true }));
  }

  /** Every connected WABA across tenants, for the scheduled refresh. */
  connectedWabas(): Promise<Array<{ accountId: string; wabaId: string }>> {
    return this.numbers.connectedWabas();
  }

  /** `GET /{app-id}/subscriptions`, shared by the refreshes of one minute; null when Meta did not answer. */
  private readAppSubscriptions({ fresh }: { fresh: boolean }): Promise<AppSubscription[] | null> {
    const now = this.clock.now().getTime();
    if (fresh || !this.appSubscriptions || now - this.appSubscriptions.at > APP_SUBSCRIPTION_TTL_MS) {
      const read = this.graph.listAppSubscriptions().then(
        (list) => list.data,
        (error: Error) => {
          // The check says "not checked"; the next refresh asks again.
          this.logger.warn(`Reading our app's webhook subscription failed: ${error.message}`);
          this.appSubscriptions = null;
          return null;
        },
      );
      this.appSubscriptions = { at: now, read };
    }
    return this.appSubscriptions.read;
  }

  private async readWaba(accountId: string, waba: WabaRecord): Promise<WabaRead> {
    try {
      const token = await this.credentials.tokenOf(accountId, String(waba.connectionId));
      return { read: await this.graph.getWabaHealth(token, waba.wabaId), failure: null };
    } catch (error) {
      if (error instanceof DomainError) return { read: null, failure: { credential: true, words: error.message } };
      if (!(error instanceof MetaGraphError)) throw error;
      const words = describeGraphError(error);
      if (error.kind === 'credential') {
        const connectionId = String(waba.connectionId);
        await this.credentials.markNeedsReauth(accountId, connectionId, words);
        this.domainEvents.emit('connection.unusable', { accountId, connectionId });
        this.realtime.publish(accountId, { type: 'whatsapp.changed', reason: 'credential' });
      }
      return { read: null, failure: { credential: error.kind === 'credential', words } };
    }
  }

  /**
   * A verdict that changed is an event on the tenant's Events page, live. The first verdict of a
   * number is no change (the WhatsApp page and the Overview show it), so it records nothing.
   */
  private async recordChange(accountId: string, previous: NumberHealthRecord | null, next: Omit<NumberHealthRecord, 'accountId'>): Promise<void> {
    if (!previous || previous.verdict === next.verdict) return;
    const title = `${next.displayPhone}: ${changeWords(previous.verdict, next.verdict)}`;
    await this.events.record([
      {
        accountId,
        event: {
          key: `health:${next.phoneNumberId}:${next.checkedAt.getTime()}`,
          type: 'phone_number.health',
          title,
          detail: next.summary,
          phoneNumberId: next.phoneNumberId,
          wabaId: next.wabaId,
          occurredAt: next.checkedAt,
          receivedAt: next.checkedAt,
          messageId: null,
        },
      },
    ]);
    this.logger.log(`Number ${next.phoneNumberId} of tenant ${accountId}: ${previous.verdict} → ${next.verdict}`);
  }
}

function changeWords(previous: NumberVerdict, next: NumberVerdict): string {
  if (next === 'can_send') return 'can send again';
  if (next === 'limited') return previous === 'cannot_send' ? 'can send again, with limits' : 'sending is limited';
  return 'cannot send';
}

export function toView(record: NumberHealthRecord): NumberHealthView {
  return {
    phoneNumberId: record.phoneNumberId,
    wabaId: record.wabaId,
    displayPhone: record.displayPhone,
    verdict: record.verdict,
    verdictLabel: verdictLabel(record.verdict),
    summary: record.summary,
    checks: record.checks,
    checkedAt: new Date(record.checkedAt).toISOString(),
  };
}
