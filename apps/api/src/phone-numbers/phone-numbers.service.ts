import { Injectable } from '@nestjs/common';
import { codeOfMetaError, deriveNumberStatus, describeActiveNumberChange, describeError } from '@waba/contracts';
import type {
  ActiveNumberCause,
  ConnectionSource,
  DerivedStatus,
  DisconnectRequest,
  NumberAvailability,
  NumberStatusKind,
  PhoneNumberState,
  PhoneNumberView,
  SelectActiveRequest,
  WabaView,
  WhatsAppStatusView,
} from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, toPhoneNumberFacts, type PhoneNumber as GraphPhoneNumber, type PhoneNumberFacts, type Waba } from '@waba/meta-graph';
import { randomInt } from 'node:crypto';
import { AuditService, SYSTEM_ACTORS, systemActor, type AuditActor } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { DomainEvents } from '../common/events/domain-events';
import { pinBinding, TokenCipher } from '../common/crypto/token-cipher';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { PhoneNumbersRepository, type NumberFacts, type PhoneNumberRecord, type WabaRecord } from './phone-numbers.repository';
import { RegistrationBudgetService } from './registration-budget.service';
import { TenantNumbers } from './tenant-numbers';

export type { NumberFacts, PhoneNumberRecord, WabaRecord } from './phone-numbers.repository';
export type { TenantNumbers } from './tenant-numbers';

/** One WABA the tenant chose numbers of, with Meta's facts of each number as discovered. */
export interface SelectedWaba {
  waba: Waba;
  numbers: PhoneNumberFacts[];
}

export interface NumberOutcome {
  phoneNumberId: string;
  state: PhoneNumberState;
  message?: string;
  /** Failed because another tenant holds the number or its WABA (a conflict, not Meta's failure). */
  takenByAnotherTenant?: boolean;
}

/** Statuses (libs/contracts status.ts) a number may have to become the active one without a word. */
const SENDS_FREELY = new Set<NumberStatusKind>(['connected', 'quality_medium', 'credential_expiring']);
/** A person may still choose these as active, after a warning in words; nothing else picks them. */
const SENDS_WITH_WARNING = new Set<NumberStatusKind>(['flagged', 'restricted']);

type NumberWithStatus = { number: PhoneNumberRecord; status: DerivedStatus<NumberStatusKind> };

/** WABAs and numbers of a tenant: connect, list, choose the active one, refresh, disconnect. */
@Injectable()
export class PhoneNumbersService {
  constructor(
    private readonly repository: PhoneNumbersRepository,
    private readonly credentials: CredentialsService,
    private readonly graph: MetaGraphClient,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditService,
    private readonly events: RealtimePublisher,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
    private readonly registrations: RegistrationBudgetService,
  ) {}

  /** One tenant's WABAs and numbers, for the other modules. */
  forTenant(accountId: string): TenantNumbers {
    return new TenantNumbers(this.repository, accountId);
  }

  /**
   * Webhook routing: the tenant a number is connected to now. A disconnected number's record
   * stays with its former tenant (history), but its webhooks are routed by the WABA's owner.
   */
  connectedOwnerOfNumber(phoneNumberId: string): Promise<{ accountId: string; wabaId: string } | null> {
    return this.repository.ownerOfNumber(phoneNumberId);
  }

  /** Webhook routing: the tenant that holds the WABA (whatever its state). */
  ownerOfWaba(wabaId: string): Promise<{ accountId: string; connectionId: string } | null> {
    return this.repository.ownerOfWaba(wabaId);
  }

  /** Every WABA not disconnected, across tenants: the scheduled number-health and template reads visit each. */
  connectedWabas(): Promise<Array<{ accountId: string; wabaId: string }>> {
    return this.repository.connectedWabas();
  }

  /** For the operator's `tenants list`: the owner and state of every WABA and number (ids only). */
  ownersAndStates(): Promise<{ wabas: Array<{ accountId: string; state: string }>; numbers: Array<{ accountId: string; state: string }> }> {
    return this.repository.ownersAndStates();
  }

  /** For the key-rotation command: every stored PIN, across tenants. */
  storedPins(): AsyncGenerator<{ id: string; accountId: string; phoneNumberId: string; encryptedPin: string }> {
    return this.repository.allEncryptedPins();
  }

  /** Key rotation: false when the PIN changed since it was read (the next run takes it). */
  replaceStoredPin(id: string, previous: string, next: string): Promise<boolean> {
    return this.repository.replaceEncryptedPin(id, previous, next);
  }

  async status(tenant: TenantContext): Promise<WhatsAppStatusView> {
    const [wabas, numbers] = await Promise.all([this.repository.listWabas(tenant.accountId), this.repository.listNumbers(tenant.accountId)]);
    const connections = await this.credentials.views(
      tenant.accountId,
      wabas.map((w) => String(w.connectionId)),
    );
    const wabaViews: WabaView[] = wabas.map((waba) => ({
      wabaId: waba.wabaId,
      name: waba.name,
      ownerBusinessName: waba.ownerBusinessName,
      subscribed: waba.subscribed,
      state: waba.state,
      connection: connections.get(String(waba.connectionId)) ?? null,
      restriction: waba.restriction ? toRestrictionView(waba.restriction) : null,
      numbers: numbers.filter((n) => n.wabaId === waba.wabaId).map(toPhoneNumberView),
    }));
    const active = numbers.find((n) => n.isActive && n.state === 'connected');
    return { connected: numbers.some((n) => n.state === 'connected'), activePhoneNumberId: active?.phoneNumberId ?? null, wabas: wabaViews };
  }

  /** One of the tenant's numbers as the SPA shows it. */
  async numberView(tenant: TenantContext, phoneNumberId: string): Promise<PhoneNumberView> {
    const number = await this.repository.findNumber(tenant.accountId, phoneNumberId);
    if (!number) throw new NotFoundError('Phone number not found');
    return toPhoneNumberView(number);
  }

  /**
   * Whether each number may be picked by this tenant, by the same rules `connectSelection` claims
   * with: another tenant's number, or any number of a WABA another tenant holds, is taken.
   */
  async availability(accountId: string, numbers: Array<{ phoneNumberId: string; wabaId: string }>): Promise<Map<string, NumberAvailability>> {
    const [owners, heldElsewhere] = await Promise.all([
      this.repository.ownership(numbers.map((n) => n.phoneNumberId)),
      this.repository.wabaIdsHeldByOthers(accountId, [...new Set(numbers.map((n) => n.wabaId))]),
    ]);
    const result = new Map<string, NumberAvailability>(numbers.map((n) => [n.phoneNumberId, heldElsewhere.includes(n.wabaId) ? 'taken' : 'available']));
    for (const owner of owners) {
      if (owner.accountId === accountId) {
        if (owner.state === 'connected') result.set(owner.phoneNumberId, 'connected_here');
      } else if (owner.state !== 'disconnected') result.set(owner.phoneNumberId, 'taken');
    }
    return result;
  }

  /**
   * Connects the chosen numbers: claim each WABA and number (pending), subscribe our app to each
   * WABA, register numbers that are not on Cloud API yet, then mark them connected. Each step is
   * recorded as it completes, so a retry after a Meta error or a crash finishes the job and a
   * number is never shown connected before it is.
   */
  async connectSelection(tenant: TenantContext, connectionId: string, source: ConnectionSource, selection: SelectedWaba[]): Promise<NumberOutcome[]> {
    const token = await this.credentials.tokenOf(tenant.accountId, connectionId);
    const outcomes = await Promise.all(selection.map((chosen) => this.connectWaba(tenant, token, connectionId, source, chosen)));
    await this.reconcileActive(tenant, 'not_usable');
    this.events.publish(tenant.accountId, { type: 'whatsapp.changed', reason: 'connected' });
    return outcomes.flat();
  }

  private async connectWaba(tenant: TenantContext, token: string, connectionId: string, source: ConnectionSource, chosen: SelectedWaba): Promise<NumberOutcome[]> {
    const { waba } = chosen;
    const claimed = await this.repository.claimWaba(tenant.accountId, {
      wabaId: waba.id,
      connectionId,
      name: waba.name ?? null,
      ownerBusinessId: waba.owner_business_info?.id ?? null,
      ownerBusinessName: waba.owner_business_info?.name ?? null,
    });
    if (claimed) this.domainEvents.emit('waba.connected', { accountId: tenant.accountId, wabaId: waba.id });
    if (!claimed) {
      return chosen.numbers.map((n) => ({
        phoneNumberId: n.phoneNumberId,
        state: 'failed' as const,
        message: 'This WhatsApp Business Account is connected to another account',
        takenByAnotherTenant: true,
      }));
    }

    const numbers: PhoneNumberRecord[] = [];
    const outcomes: NumberOutcome[] = [];
    for (const number of chosen.numbers) {
      const record = await this.repository.claimNumber(tenant.accountId, { ...factsOf(number), phoneNumberId: number.phoneNumberId, wabaId: waba.id, connectionId, source });
      if (record) numbers.push(record);
      else outcomes.push({ phoneNumberId: number.phoneNumberId, state: 'failed', message: 'This number is connected to another account', takenByAnotherTenant: true });
    }

    // Subscribing and registering do not depend on each other, so they go to Meta at once; a
    // number is marked connected only when both succeeded (docs/meta.md §4).
    const [subscribeFailure, registerFailures] = await Promise.all([
      claimed.subscribed ? null : this.subscribeOurApp(tenant, token, waba),
      Promise.all(numbers.map((record) => this.registerIfNeeded(tenant, token, record))),
    ]);
    for (const [i, record] of numbers.entries()) {
      const failure = registerFailures[i] ?? subscribeFailure;
      if (failure) {
        await this.markNumber(tenant.accountId, record.phoneNumberId, { state: 'failed', lastError: failure, ...(registerFailures[i] ? { registration: 'failed' as const } : {}) });
        outcomes.push({ phoneNumberId: record.phoneNumberId, state: 'failed', message: failure });
      } else {
        outcomes.push(await this.markConnected(tenant, record));
        // A WhatsApp Business app number: the coexistence module asks for its contacts and history once.
        const onboarded = chosen.numbers.find((n) => n.phoneNumberId === record.phoneNumberId);
        if (record.isOnBizApp) {
          this.domainEvents.emit('coexistence.connected', {
            accountId: tenant.accountId,
            phoneNumberId: record.phoneNumberId,
            wabaId: waba.id,
            connectionId,
            displayPhone: record.displayPhone,
            onboardedAt: onboarded?.lastOnboardedAt ?? null,
          });
        }
      }
    }
    return outcomes;
  }

  /**
   * Resumes a number whose connect stopped where it stopped: a failed subscription is tried
   * again at once; a registration only when the admin asked (each one spends Meta's budget, the
   * caller checks it). `registrationWaiting`: the number still needs a registration nobody asked for.
   */
  async resume(tenant: TenantContext, phoneNumberId: string, { register }: { register: boolean }): Promise<{ number: PhoneNumberView; registrationWaiting: boolean }> {
    const record = await this.requireNumber(tenant.accountId, phoneNumberId);
    if (record.state === 'connected') throw new ConflictError(`${record.displayPhone} is already connected: there is nothing to retry`);
    if (record.state === 'disconnected') throw new ConflictError(`${record.displayPhone} was disconnected: connect it again to use it`);
    const waba = await this.repository.findWaba(tenant.accountId, record.wabaId);
    const token = await this.credentials.tokenOf(tenant.accountId, String(record.connectionId));
    const subscribeFailure = waba?.subscribed ? null : await this.subscribeOurApp(tenant, token, { id: record.wabaId, name: waba?.name ?? '' });
    const registrationWaiting = !register && needsRegistration(record) && record.registration !== 'registered' && record.registration !== 'not_needed';
    const registerFailure = subscribeFailure || registrationWaiting ? null : await this.registerIfNeeded(tenant, token, record);
    const failure = subscribeFailure ?? registerFailure;
    let updated: PhoneNumberRecord | null;
    if (failure) {
      updated = await this.markNumber(tenant.accountId, phoneNumberId, { state: 'failed', lastError: failure, ...(registerFailure ? { registration: 'failed' as const } : {}) });
    } else if (registrationWaiting) {
      updated = await this.repository.findNumber(tenant.accountId, phoneNumberId);
    } else {
      await this.markConnected(tenant, record);
      await this.reconcileActive(tenant, 'not_usable');
      this.events.publish(tenant.accountId, { type: 'whatsapp.changed', reason: 'connected' });
      updated = await this.repository.findNumber(tenant.accountId, phoneNumberId);
    }
    return { number: toPhoneNumberView(updated ?? record), registrationWaiting: registrationWaiting && !subscribeFailure };
  }

  /** Null when our app is now among the WABA's subscribers; what went wrong, in words, otherwise. */
  private async subscribeOurApp(tenant: TenantContext, token: string, waba: SelectedWaba['waba']): Promise<string | null> {
    try {
      // Our app must be among the WABA's subscribers; others may be too (docs/meta.md §11).
      await this.graph.subscribeApp(token, waba.id);
      await this.repository.updateWaba(tenant.accountId, waba.id, { subscribed: true });
      await this.audit.record(tenant, 'waba.subscribed', `WABA ${waba.id}`, waba.name ?? undefined);
      return null;
    } catch (error) {
      return `Subscribing to the WhatsApp Business Account failed: ${describeGraphError(error)}`;
    }
  }

  /** Null when the number is on the Cloud API (now or already); what went wrong, in words, otherwise. */
  private async registerIfNeeded(tenant: TenantContext, token: string, record: PhoneNumberRecord): Promise<string | null> {
    if (record.state === 'connected') return null;
    await this.markNumber(tenant.accountId, record.phoneNumberId, { state: 'pending', lastError: null });
    if (record.registration === 'registered' || record.registration === 'not_needed') return null;
    if (!needsRegistration(record)) {
      await this.repository.updateNumber(tenant.accountId, record.phoneNumberId, { registration: 'not_needed' });
      return null;
    }
    // The PIN is stored before Meta sees it: if we crash after Meta accepted it, we still know it.
    const binding = pinBinding(tenant.accountId, record.phoneNumberId);
    const pin = record.encryptedPin ? this.cipher.decrypt(record.encryptedPin, binding) : String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.repository.updateNumber(tenant.accountId, record.phoneNumberId, { encryptedPin: this.cipher.encrypt(pin, binding), registration: 'pending' });
    try {
      // Exactly one attempt, counted against Meta's budget (RegistrationBudgetService): no automatic retry.
      await this.registrations.register(tenant.accountId, record.phoneNumberId, token, pin);
      await this.repository.updateNumber(tenant.accountId, record.phoneNumberId, { registration: 'registered' });
      await this.audit.record(tenant, 'phone_number.registered', `Number ${record.displayPhone}`);
      return null;
    } catch (error) {
      return `Registering the number for the Cloud API failed: ${describeGraphError(error)}`;
    }
  }

  private async markConnected(tenant: TenantContext, record: PhoneNumberRecord): Promise<NumberOutcome> {
    if (record.state === 'connected') return { phoneNumberId: record.phoneNumberId, state: 'connected' };
    await this.markNumber(tenant.accountId, record.phoneNumberId, { state: 'connected', lastError: null, connectedAt: this.clock.now() });
    await this.audit.record(tenant, 'phone_number.connected', `Number ${record.displayPhone}`, `WABA ${record.wabaId}`);
    return { phoneNumberId: record.phoneNumberId, state: 'connected' };
  }

  /**
   * A person's choice of the active number. A flagged or restricted number needs `acceptWarning`
   * (409 in words otherwise); one that cannot send at all (banned, credential dead) is refused.
   */
  async selectActive(tenant: TenantContext, phoneNumberId: string, request: SelectActiveRequest = {}): Promise<PhoneNumberView> {
    const entry = (await this.numbersWithStatus(tenant.accountId)).find((n) => n.number.phoneNumberId === phoneNumberId);
    if (!entry) throw new NotFoundError('Phone number not found');
    const { number, status } = entry;
    if (number.state !== 'connected') throw new InvalidRequestError('Only a connected number can be the active number');
    if (!SENDS_FREELY.has(status.kind) && !SENDS_WITH_WARNING.has(status.kind)) {
      throw new InvalidRequestError(`${number.displayPhone} cannot be the active number: ${status.explanation ?? status.label}`);
    }
    const warned = SENDS_WITH_WARNING.has(status.kind);
    if (warned && request.acceptWarning !== true) {
      throw new ConflictError(
        `${number.displayPhone} is ${status.label.toLowerCase()}: ${status.explanation} Make it the active number anyway only if you accept that its messages may not get through.`,
        { code: 'number_needs_warning' },
      );
    }
    await this.repository.setActive(tenant.accountId, phoneNumberId);
    await this.audit.record(tenant, 'phone_number.activated', `Number ${number.displayPhone}`, warned ? `Chosen despite the warning: ${status.label}` : undefined);
    this.events.publish(tenant.accountId, { type: 'whatsapp.changed', reason: 'active-number' });
    return toPhoneNumberView({ ...number, isActive: true });
  }

  /** "Test connection": reads the number from Meta and stores what changed. */
  async refresh(tenant: TenantContext, phoneNumberId: string): Promise<PhoneNumberView> {
    const number = await this.requireNumber(tenant.accountId, phoneNumberId);
    const token = await this.credentials.tokenOf(tenant.accountId, String(number.connectionId));
    let fresh: GraphPhoneNumber;
    try {
      fresh = await this.graph.getPhoneNumber(token, phoneNumberId);
    } catch (error) {
      const message = `Meta could not be reached for this number: ${describeGraphError(error)}`;
      if (error instanceof MetaGraphError && error.kind === 'credential') {
        const connectionId = String(number.connectionId);
        await this.credentials.markNeedsReauth(tenant.accountId, connectionId, describeGraphError(error));
        const connection = (await this.credentials.views(tenant.accountId, [connectionId])).get(connectionId);
        if (connection) this.events.publish(tenant.accountId, { type: 'connection.updated', connection });
        await this.credentialUnusable(tenant, connectionId);
      }
      await this.repository.updateNumber(tenant.accountId, phoneNumberId, { lastError: message });
      // A stored credential Meta refuses needs the consent again, not a newly pasted token.
      const code = error instanceof MetaGraphError && error.kind === 'credential' ? 'meta_credential_rejected' : undefined;
      throw new InvalidRequestError(message, { cause: error, code });
    }
    const updated = await this.markNumber(tenant.accountId, phoneNumberId, { ...factsOf(toPhoneNumberFacts(fresh)), lastRefreshedAt: this.clock.now(), lastError: null });
    return toPhoneNumberView(updated ?? number);
  }

  /** Disconnects one number, or a whole WABA; unsubscribes our app when no number is left on it. */
  async disconnect(tenant: TenantContext, request: DisconnectRequest): Promise<WhatsAppStatusView> {
    if (!request.wabaId === !request.phoneNumberId) throw new InvalidRequestError('Give either wabaId or phoneNumberId');
    const wabaId = request.wabaId ?? (await this.requireNumber(tenant.accountId, request.phoneNumberId ?? '')).wabaId;
    const waba = await this.repository.findWaba(tenant.accountId, wabaId);
    if (!waba) throw new NotFoundError('WhatsApp Business Account not found');
    const numbers = (await this.repository.listNumbersOfWaba(tenant.accountId, wabaId)).filter(
      (n) => n.state !== 'disconnected' && (!request.phoneNumberId || n.phoneNumberId === request.phoneNumberId),
    );
    for (const number of numbers) {
      // `isActive` stays until reconcileActive has seen which number went away, to say so.
      await this.markNumber(tenant.accountId, number.phoneNumberId, { state: 'disconnected', disconnectedAt: this.clock.now() });
      await this.audit.record(tenant, 'phone_number.disconnected', `Number ${number.displayPhone}`);
    }
    const remaining = (await this.repository.listNumbersOfWaba(tenant.accountId, wabaId)).filter((n) => n.state !== 'disconnected');
    if (remaining.length === 0) await this.releaseWaba(tenant, waba);
    await this.reconcileActive(tenant, request.wabaId ? 'waba_disconnected' : 'disconnected', new Set(numbers.map((n) => n.phoneNumberId)));
    this.events.publish(tenant.accountId, { type: 'whatsapp.changed', reason: 'disconnected' });
    return this.status(tenant);
  }

  private async releaseWaba(tenant: TenantContext, waba: WabaRecord): Promise<void> {
    let details: string | undefined;
    if (waba.subscribed) {
      try {
        const token = await this.credentials.tokenOf(tenant.accountId, String(waba.connectionId));
        await this.graph.unsubscribeApp(token, waba.wabaId);
      } catch (error) {
        // The tenant asked to leave: our records change regardless, and the audit says Meta refused.
        details = `Meta did not confirm the unsubscribe: ${describeGraphError(error)}`;
      }
    }
    await this.repository.updateWaba(tenant.accountId, waba.wabaId, { state: 'disconnected', subscribed: false, disconnectedAt: this.clock.now() });
    await this.audit.record(tenant, 'waba.disconnected', `WABA ${waba.wabaId}`, details);
    this.domainEvents.emit('waba.disconnected', { accountId: tenant.accountId, wabaId: waba.wabaId });
  }

  /**
   * A change Meta reported by webhook (quality, limit, name): stored and pushed live. When it
   * takes the active number from "sends freely" to flagged or restricted, another one takes over.
   */
  async applyMetaChange(accountId: string, phoneNumberId: string, patch: Partial<NumberFacts>): Promise<void> {
    const before = (await this.numbersWithStatus(accountId)).find((n) => n.number.phoneNumberId === phoneNumberId);
    await this.markNumber(accountId, phoneNumberId, patch);
    if (!before?.number.isActive || !SENDS_FREELY.has(before.status.kind)) return;
    const after = (await this.numbersWithStatus(accountId)).find((n) => n.number.phoneNumberId === phoneNumberId);
    if (!after || SENDS_FREELY.has(after.status.kind)) return;
    const cause: ActiveNumberCause = after.status.kind === 'flagged' ? 'flagged' : after.status.kind === 'restricted' ? 'restricted' : 'not_usable';
    await this.reconcileActive(systemActor(accountId, SYSTEM_ACTORS.metaWebhook), cause, new Set([phoneNumberId]));
  }

  /** A credential Meta no longer accepts: the numbers of the WABAs it serves cannot send. */
  async credentialUnusable(actor: AuditActor, connectionId: string): Promise<void> {
    const wabaIds = (await this.repository.listWabas(actor.accountId)).filter((w) => String(w.connectionId) === connectionId).map((w) => w.wabaId);
    const numbers = (await this.repository.listNumbers(actor.accountId)).filter((n) => wabaIds.includes(n.wabaId));
    await this.reconcileActive(actor, 'credential_dead', new Set(numbers.map((n) => n.phoneNumberId)));
  }

  /**
   * The business removed our app or unshared the WABA (PARTNER_APP_UNINSTALLED / PARTNER_REMOVED):
   * the WABA and its credential are revoked; numbers keep their history and wait for a reconnect.
   */
  async revokeWaba(accountId: string, wabaId: string, reason: string): Promise<void> {
    const owner = await this.repository.findWaba(accountId, wabaId);
    if (!owner) return;
    await this.repository.updateWaba(accountId, wabaId, { state: 'revoked', subscribed: false });
    await this.credentials.markRevoked(accountId, String(owner.connectionId), reason);
    // Only Meta's webhooks (PARTNER_REMOVED, PARTNER_APP_UNINSTALLED) revoke a WABA.
    const actor = systemActor(accountId, SYSTEM_ACTORS.metaWebhook);
    await this.audit.record(actor, 'waba.revoked', `WABA ${wabaId}`, reason);
    await this.reconcileActive(actor, 'access_removed', await this.numberIdsOfWaba(accountId, wabaId));
    this.events.publish(accountId, { type: 'whatsapp.changed', reason: 'revoked' });
  }

  /** Meta restricted or warned the account (ACCOUNT_RESTRICTION, ACCOUNT_VIOLATION, DISABLED_UPDATE): its card says so. */
  async restrictWaba(accountId: string, wabaId: string, restriction: { event: string; explanation: string; at: Date }): Promise<void> {
    if (!(await this.repository.findWaba(accountId, wabaId))) return;
    await this.repository.updateWaba(accountId, wabaId, { restriction });
    const actor = systemActor(accountId, SYSTEM_ACTORS.metaWebhook);
    await this.audit.record(actor, 'waba.restricted', `WABA ${wabaId}`, restriction.explanation);
    await this.reconcileActive(actor, 'restricted', await this.numberIdsOfWaba(accountId, wabaId));
    this.events.publish(accountId, { type: 'whatsapp.changed', reason: 'restricted' });
  }

  /**
   * Keeps the active number one that can send. When it is among `dropping` (it just went away or
   * became unusable) or is no longer connected, the first connected number that sends freely takes
   * over, or none does; the tenant is told which (an event and an audit entry naming `actor`). A
   * flagged or restricted number is never picked here; one a person chose stays until it drops.
   * The first pick (no active number before) says nothing: nothing went away.
   */
  private async reconcileActive(actor: AuditActor, cause: ActiveNumberCause, dropping: ReadonlySet<string> = new Set()): Promise<void> {
    const numbers = await this.numbersWithStatus(actor.accountId);
    const current = numbers.find((n) => n.number.isActive);
    const stays = (entry: NumberWithStatus) => entry.number.state === 'connected' && !dropping.has(entry.number.phoneNumberId);
    if (current && stays(current) && (SENDS_FREELY.has(current.status.kind) || SENDS_WITH_WARNING.has(current.status.kind))) return;
    const next = numbers.find((n) => n !== current && stays(n) && SENDS_FREELY.has(n.status.kind)) ?? null;
    if (next) await this.repository.setActive(actor.accountId, next.number.phoneNumberId);
    else if (current) await this.repository.clearActive(actor.accountId);
    if (!current) return;

    const words = describeActiveNumberChange({ previous: current.number.displayPhone, next: next?.number.displayPhone ?? null, cause });
    await this.audit.record(actor, 'phone_number.active_changed', `Number ${current.number.displayPhone}`, words.meaning);
    const shown = next ?? current;
    this.domainEvents.emit('active-number.changed', {
      accountId: actor.accountId,
      title: words.title,
      detail: words.meaning,
      phoneNumberId: shown.number.phoneNumberId,
      wabaId: shown.number.wabaId,
      occurredAt: this.clock.now(),
    });
    this.events.publish(actor.accountId, { type: 'whatsapp.changed', reason: 'active-number' });
  }

  /** Every number with the status the tenant sees (libs/contracts status.ts), as of now. */
  private async numbersWithStatus(accountId: string): Promise<NumberWithStatus[]> {
    const [wabas, numbers] = await Promise.all([this.repository.listWabas(accountId), this.repository.listNumbers(accountId)]);
    const connections = await this.credentials.views(
      accountId,
      wabas.map((w) => String(w.connectionId)),
    );
    const now = this.clock.now().getTime();
    return numbers.map((number) => {
      const waba = wabas.find((w) => w.wabaId === number.wabaId);
      const facts = waba ? { state: waba.state, connection: connections.get(String(waba.connectionId)) ?? null, restriction: waba.restriction ? toRestrictionView(waba.restriction) : null } : null;
      return { number, status: deriveNumberStatus(toPhoneNumberView(number), facts, now) };
    });
  }

  private async numberIdsOfWaba(accountId: string, wabaId: string): Promise<Set<string>> {
    return new Set((await this.repository.listNumbersOfWaba(accountId, wabaId)).map((n) => n.phoneNumberId));
  }

  private async requireNumber(accountId: string, phoneNumberId: string): Promise<PhoneNumberRecord> {
    const number = await this.repository.findNumber(accountId, phoneNumberId);
    if (!number) throw new NotFoundError('Phone number not found');
    return number;
  }

  private async markNumber(accountId: string, phoneNumberId: string, patch: Parameters<PhoneNumbersRepository['updateNumber']>[2]): Promise<PhoneNumberRecord | null> {
    const updated = await this.repository.updateNumber(accountId, phoneNumberId, patch);
    if (updated) this.events.publish(accountId, { type: 'phone-number.updated', phoneNumber: toPhoneNumberView(updated) });
    return updated;
  }
}

/**
 * Chatwoot's rule: a number whose platform or throughput is NOT_APPLICABLE is not on Cloud API yet.
 * A number on the WhatsApp Business app (coexistence) is never registered: Meta put it on Cloud API
 * beside the app, and `/register` would take it off the app (docs/meta.md, coexistence).
 */
function needsRegistration(number: Pick<PhoneNumberRecord, 'platformType' | 'throughputLevel' | 'isOnBizApp'>): boolean {
  if (number.isOnBizApp) return false;
  return number.platformType === 'NOT_APPLICABLE' || number.throughputLevel === 'NOT_APPLICABLE';
}

/** What a number's record keeps of Meta's facts (libs/meta-graph phone-numbers.ts). */
export function factsOf(number: PhoneNumberFacts): NumberFacts {
  const { displayPhone, verifiedName, qualityRating, nameStatus, codeVerificationStatus, messagingLimit, platformType, throughputLevel, metaStatus, isOnBizApp } = number;
  return { displayPhone, verifiedName, qualityRating, nameStatus, codeVerificationStatus, messagingLimit, platformType, throughputLevel, metaStatus, isOnBizApp };
}

/**
 * A person-readable reason, stored as a number's or credential's last error and shown to the
 * tenant: the catalogue's words (libs/contracts error-catalogue.ts), never Graph's raw text.
 */
export function describeGraphError(error: unknown): string {
  if (error instanceof MetaGraphError) {
    const words = describeError(codeOfMetaError(error.code), error.code);
    return `${words.message.replace(/\.$/, '')}. ${words.action}`;
  }
  throw error;
}

export function toPhoneNumberView(number: PhoneNumberRecord): PhoneNumberView {
  return {
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    displayPhone: number.displayPhone,
    verifiedName: number.verifiedName,
    qualityRating: number.qualityRating,
    nameStatus: number.nameStatus,
    codeVerificationStatus: number.codeVerificationStatus,
    messagingLimit: number.messagingLimit,
    platformType: number.platformType,
    metaStatus: number.metaStatus,
    state: number.state,
    registration: number.registration,
    isActive: number.isActive,
    source: number.source,
    lastError: number.lastError,
    lastRefreshedAt: number.lastRefreshedAt?.toISOString() ?? null,
    connectedAt: number.connectedAt?.toISOString() ?? null,
    pinSet: number.encryptedPin !== null && number.registration === 'registered',
  };
}

function toRestrictionView(restriction: NonNullable<WabaRecord['restriction']>): NonNullable<WabaView['restriction']> {
  return { event: restriction.event, explanation: restriction.explanation, at: new Date(restriction.at).toISOString() };
}
