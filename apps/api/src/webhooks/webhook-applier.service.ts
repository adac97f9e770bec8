import { Injectable } from '@nestjs/common';
import { describeAccountUpdate, describeMessagingLimit, describeNameRequestStatus, describeQualityEvent, describeRejection, type TenantEventType } from '@waba/contracts';
import { readWebhookEntries, type ReceivedMessage, type ReceivedStatus, type ReceivedWebhook, type WebhookChangeContent } from '@waba/meta-graph';
import { Turns } from '../common/batching/turns';
import { Clock } from '../common/clock/clock';
import { DomainEvents } from '../common/events/domain-events';
import { MESSAGE_STATUS_RANK } from '../common/events/tenant-events';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { CoexistenceService } from '../coexistence/coexistence.service';
import { applyCoexistence, planCoexistence, type CoexistenceChange } from './coexistence-changes';
import { TemplatesService, type TemplateWebhook } from '../templates/templates.service';
import { EventsService } from './events.service';
import type { NewTenantEvent } from './webhooks.repository';

/** Events that may change whether a number can send: its WABA's number health is read again. */
const HEALTH_CHANGING_EVENTS = new Set<TenantEventType>(['account.update', 'phone_number.quality', 'phone_number.name']);
/** The business took our access away: the WABA and its credential are revoked. */
const REVOKING_EVENTS = new Set(['PARTNER_APP_UNINSTALLED', 'PARTNER_REMOVED']);

/** A change to a WABA or number, applied in delivery order; each sets values, so doing it again is harmless. */
type NumberChange = Parameters<PhoneNumbersService['applyMetaChange']>[2];
type NumberAction =
  | { kind: 'revoke-waba'; accountId: string; wabaId: string; reason: string }
  | { kind: 'restrict-waba'; accountId: string; wabaId: string; restriction: { event: string; explanation: string; at: Date } }
  | { kind: 'number-change'; accountId: string; phoneNumberId: string; change: NumberChange }
  | { kind: 'coexistence'; accountId: string; phoneNumberId: string; change: CoexistenceChange }
  | { kind: 'name-decision'; accountId: string; phoneNumberId: string; decision: string; requestedName: string | null; rejectionReason: string | null; at: Date }
  | { kind: 'template-change'; webhook: TemplateWebhook };

/** What one delivery will write, worked out from reads only. */
export interface DeliveryPlan {
  /** Ids (WABA or number) that no tenant owns; the delivery is kept for when one connects. */
  unroutableIds: string[];
  events: Array<{ accountId: string; event: NewTenantEvent }>;
  actions: NumberAction[];
}

type NumberOwner = { accountId: string; wabaId: string } | null;
type WabaOwner = { accountId: string } | null;

/** Owner look-ups shared by the deliveries of one batch: 50 deliveries for one number read it once. */
export class RouteLookup {
  private readonly numberOwners = new Map<string, Promise<NumberOwner>>();
  private readonly wabaOwners = new Map<string, Promise<WabaOwner>>();

  constructor(private readonly numbers: PhoneNumbersService) {}

  ownerOfNumber(phoneNumberId: string): Promise<NumberOwner> {
    return memo(this.numberOwners, phoneNumberId, () => this.numbers.connectedOwnerOfNumber(phoneNumberId));
  }

  ownerOfWaba(wabaId: string): Promise<WabaOwner> {
    return memo(this.wabaOwners, wabaId, () => this.numbers.ownerOfWaba(wabaId));
  }
}

/**
 * Applies stored deliveries, a batch at a time: first every delivery is planned (routing reads
 * only), then the batch's events go out in one insert. Re-applying is harmless: events are keyed
 * (a message status is one event per status reached, and the furthest one wins), number changes
 * set values.
 */
@Injectable()
export class WebhookApplier {
  private readonly turns = new Turns();

  constructor(
    private readonly events: EventsService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
    private readonly coexistence: CoexistenceService,
    private readonly templates: TemplatesService,
  ) {}

  /** A look-up cache for one batch of plans. */
  routes(): RouteLookup {
    return new RouteLookup(this.phoneNumbers);
  }

  async plan(envelope: ReceivedWebhook, deliveryKey: string, routes: RouteLookup): Promise<DeliveryPlan> {
    const plan: DeliveryPlan = { unroutableIds: [], events: [], actions: [] };
    for (const [e, entry] of readWebhookEntries(envelope).entries()) {
      for (const [c, change] of entry.changes.entries()) {
        const missing = await this.planChange(plan, routes, entry.id, entry.time, change, `${deliveryKey}:${e}:${c}`);
        for (const id of missing) if (!plan.unroutableIds.includes(id)) plan.unroutableIds.push(id);
      }
    }
    return plan;
  }

  /**
   * Carries out the plans of one batch; new events are pushed live to their tenant. Batches run
   * side by side (webhook-application.service.ts), but their changes to numbers, WABAs and
   * templates take turns: each reads what it updates, and two at once lost one of the updates.
   */
  async execute(plans: DeliveryPlan[]): Promise<void> {
    const actions = plans.flatMap((p) => p.actions);
    // Template changes are applied only when newer than what is stored; their events come from that.
    const templateEvents = actions.length ? await this.turns.run('changes', () => this.applyActions(actions)) : [];
    await this.events.record([...plans.flatMap((p) => p.events), ...templateEvents]);
    const changed = new Map(plans.flatMap((p) => p.events).flatMap(({ accountId, event }) => (HEALTH_CHANGING_EVENTS.has(event.type) && event.wabaId ? [[event.wabaId, accountId] as const] : [])));
    for (const [wabaId, accountId] of changed) this.domainEvents.emit('waba.meta-changed', { accountId, wabaId });
  }

  private async applyActions(actions: NumberAction[]): Promise<DeliveryPlan['events']> {
    const templateEvents: DeliveryPlan['events'] = [];
    for (const action of actions) {
      if (action.kind === 'revoke-waba') await this.phoneNumbers.revokeWaba(action.accountId, action.wabaId, action.reason);
      else if (action.kind === 'restrict-waba') await this.phoneNumbers.restrictWaba(action.accountId, action.wabaId, action.restriction);
      else if (action.kind === 'template-change') templateEvents.push(...(await this.templates.applyWebhook(action.webhook)));
      else if (action.kind === 'coexistence') await applyCoexistence(this.coexistence, action);
      else if (action.kind === 'name-decision')
        this.domainEvents.emit('display-name.decided', action); // the tracked change (number-settings)
      else await this.phoneNumbers.applyMetaChange(action.accountId, action.phoneNumberId, action.change);
    }
    return templateEvents;
  }

  /** Returns the ids nobody owns when the change could not be routed (empty when planned). */
  private planChange(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, entryTime: number | null, change: WebhookChangeContent, key: string): Promise<string[]> {
    switch (change.kind) {
      case 'messages':
        return this.planMessages(plan, routes, entryId, change, key);
      case 'account-update':
        return this.planAccountUpdate(plan, routes, entryId, entryTime, change, key);
      case 'quality-update':
        return this.planQualityUpdate(plan, routes, entryId, change, key);
      case 'name-update':
        return this.planNameUpdate(plan, routes, entryId, change, key);
      case 'history':
      case 'smb-app-state-sync':
      case 'smb-message-echoes':
        return planCoexistence(plan, routes, entryId, change, this.clock.now());
      case 'template-status':
      case 'template-quality':
      case 'template-category':
      case 'template-components':
        return this.planTemplateChange(plan, routes, entryId, entryTime, change);
      default:
        return Promise.resolve([]); // fields we do not subscribe to are acknowledged and ignored
    }
  }

  /** Routed by `metadata.phone_number_id`, falling back to the WABA in `entry[].id`. */
  private async planMessages(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, value: Extract<WebhookChangeContent, { kind: 'messages' }>, key: string): Promise<string[]> {
    const phoneNumberId = value.phoneNumberId;
    const byNumber = phoneNumberId ? await routes.ownerOfNumber(phoneNumberId) : null;
    const byWaba = byNumber ? null : entryId ? await routes.ownerOfWaba(entryId) : null;
    const accountId = byNumber?.accountId ?? byWaba?.accountId;
    if (!accountId) return [phoneNumberId, entryId].filter((id): id is string => !!id);
    const wabaId = byNumber?.wabaId ?? entryId ?? null;
    const now = this.clock.now();

    for (const message of value.messages) {
      const name = message.senderName;
      plan.events.push({
        accountId,
        event: tenantEvent({
          key: `message:${message.id}`,
          type: 'message.received',
          title: `Message from ${name ? `${name} (+${message.from})` : `+${message.from ?? 'unknown'}`}`,
          detail: messageDetail(message),
          phoneNumberId,
          wabaId,
          occurredAt: fromUnix(message.timestamp, now),
          receivedAt: now,
          messageId: message.id,
        }),
      });
    }
    const statuses = value.statuses.filter((status) => MESSAGE_STATUS_RANK[status.status]);
    if (statuses.length) {
      const failed = statuses.filter((status) => status.status === 'failed');
      const error = failed[0]?.errors[0];
      plan.events.push({
        accountId,
        event: tenantEvent({
          key: `statuses:${key}`,
          type: 'message.status',
          title: statusTitle(statuses),
          detail: error ? `${failed.length > 1 ? `${failed.length} failed, first: ` : ''}${error.title ?? 'Error'} (${error.code ?? '?'})` : null,
          phoneNumberId,
          wabaId,
          occurredAt: fromUnix(statuses[statuses.length - 1].timestamp, now),
          receivedAt: now,
          statuses: statuses.map((status) => ({ messageId: status.messageId, status: status.status })),
        }),
      });
    }
    return [];
  }

  /** PARTNER_* events name the client's WABA in `value.waba_info.waba_id`, not in `entry[].id`. */
  private async planAccountUpdate(
    plan: DeliveryPlan,
    routes: RouteLookup,
    entryId: string | null,
    entryTime: number | null,
    value: Extract<WebhookChangeContent, { kind: 'account-update' }>,
    key: string,
  ): Promise<string[]> {
    const wabaId = value.wabaId ?? entryId;
    const owner = wabaId ? await routes.ownerOfWaba(wabaId) : null;
    if (!wabaId || !owner) return wabaId ? [wabaId] : ['unknown'];
    const event = value.event ?? 'UNKNOWN';
    const now = this.clock.now();
    const words = describeAccountUpdate(event);
    const occurredAt = entryTime ? new Date(entryTime * 1000) : now;
    if (REVOKING_EVENTS.has(event)) {
      const reason = `${words.title}${value.disconnectionReason ? ` (${value.disconnectionReason.toLowerCase().replace(/_/g, ' ')})` : ''}`;
      plan.actions.push({ kind: 'revoke-waba', accountId: owner.accountId, wabaId, reason });
    }
    if (words.restricts) plan.actions.push({ kind: 'restrict-waba', accountId: owner.accountId, wabaId, restriction: { event, explanation: words.meaning, at: occurredAt } });
    plan.events.push({
      accountId: owner.accountId,
      event: tenantEvent({
        key: `account:${key}`,
        type: 'account.update',
        title: words.title,
        detail: words.meaning,
        phoneNumberId: null,
        wabaId,
        occurredAt,
        receivedAt: now,
      }),
    });
    return [];
  }

  private planQualityUpdate(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, value: Extract<WebhookChangeContent, { kind: 'quality-update' }>, key: string): Promise<string[]> {
    const limit = value.messagingLimit;
    const quality = qualityFromEvent(value.event);
    const metaStatus = metaStatusFromEvent(value.event);
    return this.planNumberUpdate(plan, routes, entryId, value.displayPhoneNumber, {
      change: { ...(limit ? { messagingLimit: limit } : {}), ...(quality ? { qualityRating: quality } : {}), ...(metaStatus ? { metaStatus } : {}) },
      key: `quality:${key}`,
      type: 'phone_number.quality',
      title: (displayPhone) => `${displayPhone}: ${describeQualityEvent(value.event).title}`,
      detail: `${describeQualityEvent(value.event).meaning}${limit ? ` Messaging limit now: ${describeMessagingLimit(limit)}.` : ''}`,
    });
  }

  /**
   * Meta says REJECTED (older payloads DECLINED); the number's `name_status` calls it DECLINED. The
   * decision also reaches the tracked display-name change (number-settings), with its reason in words.
   */
  private async planNameUpdate(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, value: Extract<WebhookChangeContent, { kind: 'name-update' }>, key: string): Promise<string[]> {
    const approved = value.decision === 'APPROVED';
    const rejected = value.decision === 'REJECTED' || value.decision === 'DECLINED';
    const nameStatus = rejected ? 'DECLINED' : value.decision;
    const missing = await this.planNumberUpdate(plan, routes, entryId, value.displayPhoneNumber, {
      change: { nameStatus, ...(approved && value.requestedName ? { verifiedName: value.requestedName } : {}) },
      key: `name:${key}`,
      type: 'phone_number.name',
      title: () => `Display name ${value.requestedName ?? ''} ${rejected ? 'rejected' : (value.decision?.toLowerCase() ?? 'updated')}`.replace(/\s+/g, ' '),
      detail: rejected ? describeRejection(value.rejectionReason) : approved ? describeNameRequestStatus('approved') : value.rejectionReason,
    });
    const change = plan.actions.at(-1);
    if (missing.length === 0 && change?.kind === 'number-change' && value.decision) {
      plan.actions.push({
        kind: 'name-decision',
        accountId: change.accountId,
        phoneNumberId: change.phoneNumberId,
        decision: value.decision,
        requestedName: value.requestedName,
        rejectionReason: value.rejectionReason,
        at: this.clock.now(),
      });
    }
    return missing;
  }

  /** Template fields name no number: routed by the WABA in `entry[].id`, ordered by `entry[].time`. */
  private async planTemplateChange(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, entryTime: number | null, change: TemplateWebhook['change']): Promise<string[]> {
    const owner = entryId ? await routes.ownerOfWaba(entryId) : null;
    if (!entryId || !owner) return [entryId ?? 'unknown'];
    plan.actions.push({ kind: 'template-change', webhook: { accountId: owner.accountId, wabaId: entryId, change, occurredAt: fromUnix(entryTime, this.clock.now()) } });
    return [];
  }

  /** Account-level fields carry only the display number: routed by WABA plus display number. */
  private async planNumberUpdate(
    plan: DeliveryPlan,
    routes: RouteLookup,
    entryId: string | null,
    displayPhoneNumber: string | null,
    update: { change: NumberChange; key: string; type: TenantEventType; title: (displayPhone: string) => string; detail: string | null },
  ): Promise<string[]> {
    const target = await this.numberOf(routes, entryId, displayPhoneNumber);
    if (!target) return [entryId ?? 'unknown'];
    plan.actions.push({ kind: 'number-change', accountId: target.accountId, phoneNumberId: target.phoneNumberId, change: update.change });
    const now = this.clock.now();
    plan.events.push({
      accountId: target.accountId,
      event: tenantEvent({
        key: update.key,
        type: update.type,
        title: update.title(target.displayPhone),
        detail: update.detail,
        phoneNumberId: target.phoneNumberId,
        wabaId: entryId ?? null,
        occurredAt: now,
        receivedAt: now,
      }),
    });
    return [];
  }

  private async numberOf(routes: RouteLookup, wabaId: string | null, displayPhoneNumber: string | null) {
    const owner = wabaId ? await routes.ownerOfWaba(wabaId) : null;
    if (!wabaId || !owner || !displayPhoneNumber) return null;
    const number = await this.phoneNumbers.forTenant(owner.accountId).numberByDisplay(wabaId, displayPhoneNumber);
    return number ? { accountId: owner.accountId, phoneNumberId: number.phoneNumberId, displayPhone: number.displayPhone } : null;
  }
}

/** A message's text; a reaction shows its emoji (an empty emoji means the reaction was removed). */
function messageDetail(message: ReceivedMessage): string | null {
  if (message.type === 'text') return message.text;
  if (message.type === 'reaction') return message.reactionEmoji ? `Reacted ${message.reactionEmoji}` : 'Removed a reaction';
  return `[${message.type ?? 'message'}]`;
}

/** A tenant event; only received messages carry a message id, only status events their statuses. */
function tenantEvent(event: Omit<NewTenantEvent, 'messageId'> & Partial<Pick<NewTenantEvent, 'messageId'>>): NewTenantEvent {
  return { messageId: null, ...event };
}

/** "Message to +447700900123 delivered" for one status; "50 delivery updates: 48 delivered, 2 read" for a batch. */
function statusTitle(statuses: ReceivedStatus[]): string {
  if (statuses.length === 1) return `Message to +${statuses[0].recipientId ?? 'unknown'} ${statuses[0].status}`;
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status.status, (counts.get(status.status) ?? 0) + 1);
  return `${statuses.length} delivery updates: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`;
}

function memo<V>(cache: Map<string, Promise<V>>, key: string, load: () => Promise<V>): Promise<V> {
  let found = cache.get(key);
  if (!found) cache.set(key, (found = load()));
  return found;
}

function fromUnix(seconds: number | null, fallback: Date): Date {
  return seconds ? new Date(seconds * 1000) : fallback;
}

/** Meta marks a flagged number's `status` FLAGGED until quality recovers (UNFLAGGED). */
function metaStatusFromEvent(event: string | null): string | null {
  if (event === 'FLAGGED') return 'FLAGGED';
  if (event === 'UNFLAGGED') return 'CONNECTED';
  return null;
}

/** FLAGGED / UNFLAGGED events say the quality moved; the rating itself comes from a refresh. */
function qualityFromEvent(event: string | null): string | null {
  if (event === 'FLAGGED') return 'RED';
  if (event === 'UNFLAGGED') return 'GREEN';
  return null;
}
