import { Injectable } from '@nestjs/common';
import {
  DISPLAY_NAME_RULES,
  describeNameRequestStatus,
  describeNameStatus,
  describeRejection,
  displayNameRules,
  type DisplayNameRequestStatus,
  type DisplayNameRequestView,
  type DisplayNameView,
} from '@waba/contracts';
import { MetaGraphClient, toPhoneNumberFacts } from '@waba/meta-graph';
import { AuditService, SYSTEM_ACTORS, systemActor } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { pinBinding, TokenCipher } from '../common/crypto/token-cipher';
import type { DomainEventMap } from '../common/events/domain-events';
import { ConflictError, InvalidRequestError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import { PhoneNumbersService, factsOf, type PhoneNumberRecord } from '../phone-numbers/phone-numbers.service';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { EventsService } from '../webhooks/events.service';
import { settingsRefusal } from './meta-refusals';
import { NumberSettingsRepository, type DisplayNameRequestRecord } from './number-settings.repository';
import { settingsEvent } from './settings-events';

const DAY_MS = 24 * 3600_000;
/** Meta's decisions in the webhook, as our request statuses. */
const DECISIONS: Record<string, DisplayNameRequestStatus> = { APPROVED: 'approved', REJECTED: 'rejected', DECLINED: 'rejected', DEFERRED: 'deferred' };
/** Meta's `new_name_status`, as our request statuses (the webhook may be late or lost). */
const NEW_NAME_STATUSES: Record<string, DisplayNameRequestStatus> = { APPROVED: 'approved', DECLINED: 'rejected', EXPIRED: 'expired' };

/**
 * Display-name changes: asked of Meta (`new_display_name`), tracked from the webhook's decision
 * and Meta's `new_name_status`, and applied by registering the number again with the stored PIN.
 */
@Injectable()
export class DisplayNameService {
  constructor(
    private readonly repository: NumberSettingsRepository,
    private readonly graph: MetaGraphClient,
    private readonly credentials: CredentialsService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly budget: RegistrationBudgetService,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  async view(number: PhoneNumberRecord): Promise<DisplayNameView> {
    const accountId = String(number.accountId);
    await this.expireLapsed(number);
    const history = await this.repository.listNameRequests(accountId, number.phoneNumberId);
    const requestsInWindow = await this.repository.countNameRequestsSince(accountId, number.phoneNumberId, new Date(this.clock.now().getTime() - DISPLAY_NAME_RULES.windowDays * DAY_MS));
    const latest = history[0] ?? null;
    const blockedReason =
      number.state !== 'connected'
        ? 'Only a connected number can change its display name.'
        : latest?.status === 'in_review'
          ? 'A change is already in review; Meta takes one at a time.'
          : requestsInWindow >= DISPLAY_NAME_RULES.changesPerWindow
            ? `This number asked for ${requestsInWindow} changes in the last ${DISPLAY_NAME_RULES.windowDays} days, Meta's limit.`
            : null;
    const approved = latest?.status === 'approved' ? latest : null;
    return {
      phoneNumberId: number.phoneNumberId,
      currentName: number.verifiedName,
      nameStatusWords: describeNameStatus(number.nameStatus),
      latest: latest ? toRequestView(latest) : null,
      history: history.map(toRequestView),
      requestsInWindow,
      canRequest: blockedReason === null,
      blockedReason,
      rules: displayNameRules(requestsInWindow),
      reregister: {
        needed: approved !== null,
        pinStored: Boolean(number.encryptedPin),
        deadline: approved?.decidedAt ? new Date(approved.decidedAt.getTime() + DISPLAY_NAME_RULES.reregisterWithinDays * DAY_MS).toISOString() : null,
        budget: await this.budget.budget(accountId, number.phoneNumberId),
      },
    };
  }

  async request(tenant: TenantContext, number: PhoneNumberRecord, name: string): Promise<DisplayNameView> {
    const current = await this.view(number);
    if (!current.canRequest) throw new ConflictError(current.blockedReason ?? 'A display-name change cannot be asked for now.');
    if (name === number.verifiedName) throw new InvalidRequestError(`The number is already called ${name}.`);
    const token = await this.credentials.tokenOf(tenant.accountId, String(number.connectionId));
    try {
      await this.graph.requestDisplayNameChange(token, number.phoneNumberId, name);
    } catch (error) {
      throw settingsRefusal('ask Meta for the new display name', error);
    }
    const at = this.clock.now();
    await this.repository.addNameRequest(tenant.accountId, {
      phoneNumberId: number.phoneNumberId,
      requestedName: name,
      previousName: number.verifiedName,
      previousNameStatus: number.nameStatus,
      status: 'in_review',
      rejectionReason: null,
      requestedAt: at,
      decidedAt: null,
      appliedAt: null,
    });
    await this.audit.record(tenant, 'phone_number.display_name_requested', `Number ${number.displayPhone}`, `Asked Meta to rename "${number.verifiedName ?? ''}" to "${name}"`);
    await this.events.record([settingsEvent(number, at, `${number.displayPhone}: display name "${name}" sent to Meta for review`, describeNameRequestStatus('in_review'), 'phone_number.name')]);
    return this.view(number);
  }

  /**
   * The `phone_number_name_update` webhook: the newest open request for that name takes the
   * decision. Applying the same webhook again (a retried batch, a replay) finds the request
   * decided already, and only puts the number's name back once more.
   */
  async applyDecision(decided: DomainEventMap['display-name.decided']): Promise<void> {
    const status = DECISIONS[decided.decision];
    if (!status) return;
    const requestedName = decided.requestedName ?? undefined;
    const open = await this.repository.latestNameRequestIn(decided.accountId, decided.phoneNumberId, ['in_review', 'deferred'], requestedName);
    if (open)
      await this.repository.updateNameRequest(decided.accountId, open._id, { status, decidedAt: decided.at, rejectionReason: status === 'rejected' ? (decided.rejectionReason ?? null) : null });
    const request = open ?? (await this.repository.latestNameRequestIn(decided.accountId, decided.phoneNumberId, [status], requestedName));
    if (!request) return; // a review of a number's first name, or one asked for outside WABA Connect
    // The webhook applier wrote the decision on the number as if it were about its current name; a
    // change applies only when the number registers again, so until then the number keeps its name
    // and that name's status.
    if ((status === 'approved' || status === 'rejected') && request.previousName) {
      await this.phoneNumbers.applyMetaChange(decided.accountId, decided.phoneNumberId, { verifiedName: request.previousName, nameStatus: request.previousNameStatus ?? 'APPROVED' });
    }
    if (!open) return;
    const words = status === 'rejected' ? describeRejection(decided.rejectionReason) : describeNameRequestStatus(status);
    await this.audit.record(systemActor(decided.accountId, SYSTEM_ACTORS.metaWebhook), `phone_number.display_name_${status}`, `Number ${decided.phoneNumberId}`, `"${open.requestedName}": ${words}`);
  }

  /**
   * Registers the number again so an approved name shows: with the PIN we stored, one attempt,
   * never retried (it spends Meta's registration budget, checked first).
   */
  async reregister(tenant: TenantContext, number: PhoneNumberRecord): Promise<DisplayNameView> {
    const approved = await this.repository.latestNameRequestIn(tenant.accountId, number.phoneNumberId, ['approved']);
    if (!approved) throw new ConflictError('No approved display name is waiting: registering again now would only spend a registration attempt.');
    if (!number.encryptedPin) {
      throw new ConflictError(
        'WABA Connect has no two-step PIN for this number (it was registered before it was connected here). Set a new PIN below first, or register it again where it was registered before.',
      );
    }
    await this.budget.requireRoom(tenant.accountId, number.phoneNumberId);
    const token = await this.credentials.tokenOf(tenant.accountId, String(number.connectionId));
    const pin = this.cipher.decrypt(number.encryptedPin, pinBinding(tenant.accountId, number.phoneNumberId));
    const at = this.clock.now();
    try {
      await this.budget.register(tenant.accountId, number.phoneNumberId, token, pin);
    } catch (error) {
      throw settingsRefusal('register the number again', error);
    }
    await this.repository.updateNameRequest(tenant.accountId, approved._id, { status: 'applied', appliedAt: at });
    await this.phoneNumbers.forTenant(tenant.accountId).recordRegistration(number.phoneNumberId, 'registered');
    // The name shows in Meta's answer now; if Meta cannot be read this moment, the approved name stands in.
    const fresh = await this.graph.getPhoneNumber(token, number.phoneNumberId).catch(() => null);
    await this.phoneNumbers.applyMetaChange(tenant.accountId, number.phoneNumberId, fresh ? factsOf(toPhoneNumberFacts(fresh)) : { verifiedName: approved.requestedName });
    await this.audit.record(tenant, 'phone_number.reregistered', `Number ${number.displayPhone}`, `Registered again with the stored PIN so "${approved.requestedName}" shows`);
    await this.events.record([settingsEvent(number, at, `${number.displayPhone}: now named "${approved.requestedName}"`, describeNameRequestStatus('applied'), 'phone_number.name')]);
    return this.view({ ...number, verifiedName: fresh?.verified_name ?? approved.requestedName, registration: 'registered' });
  }

  /** Meta's answer wins over ours: a webhook may be late or lost, `new_name_status` is current. */
  async reconcile(number: PhoneNumberRecord): Promise<void> {
    const accountId = String(number.accountId);
    const open = await this.repository.latestNameRequestIn(accountId, number.phoneNumberId, ['in_review', 'deferred']);
    if (!open) return;
    const token = await this.credentials.tokenOf(accountId, String(number.connectionId));
    const fresh = await this.graph.getPhoneNumber(token, number.phoneNumberId, ['new_display_name', 'new_name_status']).catch(() => null);
    const status = fresh?.new_name_status ? NEW_NAME_STATUSES[fresh.new_name_status] : undefined;
    if (status && (!fresh?.new_display_name || fresh.new_display_name === open.requestedName)) {
      await this.repository.updateNameRequest(accountId, open._id, { status, decidedAt: this.clock.now() });
    }
  }

  private async expireLapsed(number: PhoneNumberRecord): Promise<void> {
    const approved = await this.repository.latestNameRequestIn(String(number.accountId), number.phoneNumberId, ['approved']);
    const deadline = approved?.decidedAt ? approved.decidedAt.getTime() + DISPLAY_NAME_RULES.reregisterWithinDays * DAY_MS : null;
    if (approved && deadline !== null && deadline < this.clock.now().getTime()) await this.repository.updateNameRequest(String(number.accountId), approved._id, { status: 'expired' });
  }
}

function toRequestView(request: DisplayNameRequestRecord): DisplayNameRequestView {
  return {
    id: String(request._id),
    requestedName: request.requestedName,
    previousName: request.previousName,
    status: request.status,
    statusWords: describeNameRequestStatus(request.status),
    rejectionReason: request.rejectionReason,
    rejectionWords: request.status === 'rejected' ? describeRejection(request.rejectionReason) : null,
    requestedAt: request.requestedAt.toISOString(),
    decidedAt: request.decidedAt?.toISOString() ?? null,
    appliedAt: request.appliedAt?.toISOString() ?? null,
  };
}
