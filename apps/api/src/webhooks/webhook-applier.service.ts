import { Injectable } from '@nestjs/common';
import type { TenantEventView } from '@waba/contracts';
import { Clock } from '../common/clock/clock';
import { PhoneNumbersRepository } from '../phone-numbers/phone-numbers.repository';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { TenantEventsGateway } from '../realtime/tenant-events.gateway';
import type { AccountUpdateValue, MessagesValue, NameUpdateValue, QualityUpdateValue, WebhookChange, WebhookEnvelope } from './webhook-payloads';
import { WebhooksRepository, type NewTenantEvent } from './webhooks.repository';

/** Status order for one message; a status never moves back (a late `delivered` after `read`). */
const STATUS_RANK: Record<string, number> = { sent: 10, delivered: 20, read: 30, played: 40, failed: 50 };
/** The business took our access away: the WABA and its credential are revoked. */
const REVOKING_EVENTS = new Set(['PARTNER_APP_UNINSTALLED', 'PARTNER_REMOVED']);

export interface ApplyResult {
  /** Ids (WABA or number) that no tenant owns; the delivery is kept for when one connects. */
  unroutableIds: string[];
}

/**
 * Applies one stored delivery: every entry and change, routed to its tenant. Re-applying the same
 * delivery is harmless: events are keyed, statuses only move forward, updates are idempotent.
 */
@Injectable()
export class WebhookApplier {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly numbers: PhoneNumbersRepository,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly gateway: TenantEventsGateway,
    private readonly clock: Clock,
  ) {}

  async apply(envelope: WebhookEnvelope, deliveryKey: string): Promise<ApplyResult> {
    const unroutable = new Set<string>();
    for (const [e, entry] of (envelope.entry ?? []).entries()) {
      for (const [c, change] of (entry.changes ?? []).entries()) {
        const missing = await this.applyChange(entry.id, entry.time, change, `${deliveryKey}:${e}:${c}`);
        for (const id of missing) unroutable.add(id);
      }
    }
    return { unroutableIds: [...unroutable] };
  }

  /** Returns the ids nobody owns when the change could not be routed (empty when applied). */
  private async applyChange(entryId: string | undefined, entryTime: number | undefined, change: WebhookChange, key: string): Promise<string[]> {
    const value = change.value ?? {};
    switch (change.field) {
      case 'messages':
        return this.applyMessages(entryId, value as MessagesValue);
      case 'account_update':
        return this.applyAccountUpdate(entryId, entryTime, value as AccountUpdateValue, key);
      case 'phone_number_quality_update':
        return this.applyQualityUpdate(entryId, value as QualityUpdateValue, key);
      case 'phone_number_name_update':
        return this.applyNameUpdate(entryId, value as NameUpdateValue, key);
      default:
        return []; // fields we do not subscribe to are acknowledged and ignored
    }
  }

  /** Routed by `metadata.phone_number_id`, falling back to the WABA in `entry[].id`. */
  private async applyMessages(entryId: string | undefined, value: MessagesValue): Promise<string[]> {
    const phoneNumberId = value.metadata?.phone_number_id ?? null;
    const byNumber = phoneNumberId ? await this.numbers.ownerOfNumber(phoneNumberId) : null;
    const byWaba = byNumber ? null : entryId ? await this.numbers.ownerOfWaba(entryId) : null;
    const accountId = byNumber?.accountId ?? byWaba?.accountId;
    if (!accountId) return [phoneNumberId, entryId].filter((id): id is string => !!id);
    const wabaId = byNumber?.wabaId ?? entryId ?? null;
    const now = this.clock.now();

    for (const message of value.messages ?? []) {
      if (!message.id) continue;
      const name = value.contacts?.find((c) => c.wa_id === message.from)?.profile?.name;
      await this.record(accountId, {
        key: `message:${message.id}`,
        type: 'message.received',
        title: `Message from ${name ? `${name} (+${message.from})` : `+${message.from ?? 'unknown'}`}`,
        detail: message.type === 'text' ? (message.text?.body ?? null) : `[${message.type ?? 'message'}]`,
        phoneNumberId,
        wabaId,
        occurredAt: fromUnix(message.timestamp, now),
        receivedAt: now,
      });
    }
    for (const status of value.statuses ?? []) {
      const rank = STATUS_RANK[status.status ?? ''];
      if (!status.id || !rank) continue;
      const statusAt = fromUnix(status.timestamp, now);
      await this.repository.advanceMessageStatus(accountId, { messageId: status.id, status: status.status ?? '', rank, phoneNumberId, statusAt });
      const error = status.errors?.[0];
      await this.record(accountId, {
        key: `status:${status.id}:${status.status}`,
        type: 'message.status',
        title: `Message to +${status.recipient_id ?? 'unknown'} ${status.status}`,
        detail: error ? `${error.title ?? 'Error'} (${error.code ?? '?'})` : null,
        phoneNumberId,
        wabaId,
        occurredAt: statusAt,
        receivedAt: now,
      });
    }
    return [];
  }

  /** PARTNER_* events name the client's WABA in `value.waba_info.waba_id`, not in `entry[].id`. */
  private async applyAccountUpdate(entryId: string | undefined, entryTime: number | undefined, value: AccountUpdateValue, key: string): Promise<string[]> {
    const wabaId = value.waba_info?.waba_id ?? entryId;
    const owner = wabaId ? await this.numbers.ownerOfWaba(wabaId) : null;
    if (!wabaId || !owner) return wabaId ? [wabaId] : ['unknown'];
    const event = value.event ?? 'UNKNOWN';
    const now = this.clock.now();
    if (REVOKING_EVENTS.has(event)) {
      await this.phoneNumbers.revokeWaba(owner.accountId, wabaId, `Meta reported ${event}${value.disconnection_info?.reason ? ` (${value.disconnection_info.reason})` : ''}`);
    }
    await this.record(owner.accountId, {
      key: `account:${key}`,
      type: 'account.update',
      title: `Account update: ${event}`,
      detail: REVOKING_EVENTS.has(event) ? 'Access to this WhatsApp Business Account was removed; reconnect to restore it' : null,
      phoneNumberId: null,
      wabaId,
      occurredAt: entryTime ? new Date(entryTime * 1000) : now,
      receivedAt: now,
    });
    return [];
  }

  /** Account-level fields carry only the display number: routed by WABA plus display number. */
  private async applyQualityUpdate(entryId: string | undefined, value: QualityUpdateValue, key: string): Promise<string[]> {
    const target = await this.numberOf(entryId, value.display_phone_number);
    if (!target) return [entryId ?? 'unknown'];
    const limit = value.max_daily_conversations_per_business ?? value.current_limit;
    const quality = qualityFromEvent(value.event);
    await this.phoneNumbers.applyMetaChange(target.accountId, target.phoneNumberId, { ...(limit ? { messagingLimit: limit } : {}), ...(quality ? { qualityRating: quality } : {}) });
    const now = this.clock.now();
    await this.record(target.accountId, {
      key: `quality:${key}`,
      type: 'phone_number.quality',
      title: `Quality update for ${target.displayPhone}: ${value.event ?? 'changed'}`,
      detail: limit ? `Messaging limit ${limit}` : null,
      phoneNumberId: target.phoneNumberId,
      wabaId: entryId ?? null,
      occurredAt: now,
      receivedAt: now,
    });
    return [];
  }

  private async applyNameUpdate(entryId: string | undefined, value: NameUpdateValue, key: string): Promise<string[]> {
    const target = await this.numberOf(entryId, value.display_phone_number);
    if (!target) return [entryId ?? 'unknown'];
    const approved = value.decision === 'APPROVED';
    await this.phoneNumbers.applyMetaChange(target.accountId, target.phoneNumberId, {
      nameStatus: value.decision ?? null,
      ...(approved && value.requested_verified_name ? { verifiedName: value.requested_verified_name } : {}),
    });
    const now = this.clock.now();
    await this.record(target.accountId, {
      key: `name:${key}`,
      type: 'phone_number.name',
      title: `Display name ${value.requested_verified_name ?? ''} ${value.decision?.toLowerCase() ?? 'updated'}`.replace(/\s+/g, ' '),
      detail: value.rejection_reason ?? null,
      phoneNumberId: target.phoneNumberId,
      wabaId: entryId ?? null,
      occurredAt: now,
      receivedAt: now,
    });
    return [];
  }

  private async numberOf(wabaId: string | undefined, displayPhoneNumber: string | undefined) {
    const owner = wabaId ? await this.numbers.ownerOfWaba(wabaId) : null;
    if (!wabaId || !owner || !displayPhoneNumber) return null;
    const number = await this.numbers.findNumberByDisplay(owner.accountId, wabaId, displayPhoneNumber);
    return number ? { accountId: owner.accountId, phoneNumberId: number.phoneNumberId, displayPhone: number.displayPhone } : null;
  }

  /** Stores the event once and pushes it live the first time only. */
  private async record(accountId: string, event: NewTenantEvent): Promise<TenantEventView | null> {
    const created = await this.repository.insertEvent(accountId, event);
    if (created) this.gateway.publish(accountId, { type: 'event.created', event: created });
    return created;
  }
}

function fromUnix(seconds: string | undefined, fallback: Date): Date {
  const value = Number(seconds);
  return Number.isFinite(value) && value > 0 ? new Date(value * 1000) : fallback;
}

/** FLAGGED / UNFLAGGED events say the quality moved; the rating itself comes from a refresh. */
function qualityFromEvent(event: string | undefined): string | null {
  if (event === 'FLAGGED') return 'RED';
  if (event === 'UNFLAGGED') return 'GREEN';
  return null;
}
