import { BadRequestException, Injectable } from '@nestjs/common';
import { AccountUpdateEvent, InboundMessage, MessageStatusValue, WebhookEntry, WebhookPayload } from '@waba/meta-graph';
import { randomBytes } from 'node:crypto';
import { SandboxClock } from '../common/sandbox-clock';
import { WorldStore } from '../world/world.store';
import { PhoneNumberRecord, WabaRecord } from '../world/world.types';
import { echoEntry } from './coexistence-payloads';
import { WebhookSenderService } from './webhook-sender.service';

/** One event to send, in our words; turned into Meta's payload here. */
export interface WebhookEventInput {
  type: 'message' | 'status' | 'account_update' | 'phone_number_quality_update' | 'phone_number_name_update' | 'smb_message_echo';
  phoneNumberId?: string;
  wabaId?: string;
  /** message: sender's wa_id and profile name, and the text (a media message's caption). */
  from?: string;
  name?: string;
  text?: string;
  /** message: what the customer sent; default `text`. */
  messageType?: InboundMessageType;
  /** reaction: the emoji (empty: the reaction was removed) and the reacted message (`messageId`). */
  emoji?: string;
  /** status: which message, which state; failed statuses carry `errorCode`. reaction: the message reacted to. */
  messageId?: string;
  status?: MessageStatusValue;
  recipientId?: string;
  errorCode?: number;
  /** account_update / phone_number_quality_update event name. */
  event?: string;
  currentLimit?: string;
  oldLimit?: string;
  /** phone_number_name_update. */
  decision?: 'APPROVED' | 'REJECTED' | 'DECLINED' | 'DEFERRED' | 'PENDING';
  requestedVerifiedName?: string;
  rejectionReason?: string;
}

export interface SendWebhooksResult {
  deliveries: { id: string; url: string; events: number }[];
  skipped: { index: number; reason: string }[];
}

interface RoutedEvent {
  index: number;
  url: string;
  entry: WebhookEntry;
}

/** The inbound message types the sandbox can send (docs/meta.md §6.5). */
export const INBOUND_MESSAGE_TYPES = ['text', 'reaction', 'image', 'video', 'audio', 'document', 'sticker', 'location'] as const;
export type InboundMessageType = (typeof INBOUND_MESSAGE_TYPES)[number];

const ACCOUNT_LEVEL = new Set(['account_update', 'phone_number_quality_update', 'phone_number_name_update']);

/**
 * Builds webhook payloads from the world and routes them as Meta does: `messages` go to the number's
 * override, else the WABA's override, else the app's callback, and only for WABAs our app subscribed
 * to; account-level fields always go to the app's callback (docs/meta.md §4.1, §11).
 */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
    private readonly sender: WebhookSenderService,
  ) {}

  send(events: WebhookEventInput[], options: { batch?: boolean; callbackUrl?: string }): SendWebhooksResult {
    const routed: RoutedEvent[] = [];
    const skipped: SendWebhooksResult['skipped'] = [];
    events.forEach((event, index) => {
      const entry = this.entryFor(event);
      const url = options.callbackUrl ?? this.routeOf(event, entry);
      if (typeof url === 'string') routed.push({ index, url, entry });
      else skipped.push({ index, reason: url.skipped });
    });
    const groups = options.batch ? [...groupBy(routed, (r) => r.url).values()] : routed.map((r) => [r]);
    const deliveries = groups.map((group) => {
      const delivery = this.sender.deliver(group[0].url, mergeEntries(group.map((r) => r.entry)));
      return { id: delivery.id, url: delivery.url, events: group.length };
    });
    return { deliveries, skipped };
  }

  /** Entries about one number (coexistence sync), each its own POST, routed as `messages` are. */
  sendForNumber(phone: PhoneNumberRecord, entries: WebhookEntry[]): SendWebhooksResult {
    const url = this.routeOf({ type: 'message', phoneNumberId: phone.id }, entries[0]);
    if (typeof url !== 'string') return { deliveries: [], skipped: entries.map((_, index) => ({ index, reason: url.skipped })) };
    const deliveries = entries.map((entry) => {
      const delivery = this.sender.deliver(url, mergeEntries([entry]));
      return { id: delivery.id, url: delivery.url, events: 1 };
    });
    return { deliveries, skipped: [] };
  }

  /** `PARTNER_ADDED` for a WABA just shared with our app through a consent. */
  partnerAdded(waba: WabaRecord): void {
    if (!this.world.settings.webhookUrl) return;
    this.send([{ type: 'account_update', wabaId: waba.id, event: 'PARTNER_ADDED' }], {});
  }

  private routeOf(event: WebhookEventInput, entry: WebhookEntry): string | { skipped: string } {
    const appUrl = this.world.settings.webhookUrl;
    if (ACCOUNT_LEVEL.has(event.type)) return appUrl ?? { skipped: 'no app callback URL configured' };
    const phone = this.phone(event);
    const waba = this.waba(phone.wabaId);
    const subscription = waba.subscriptions.find((s) => s.appId === this.world.app.id);
    if (!subscription) return { skipped: `app not subscribed to WABA ${entry.id} (POST /${entry.id}/subscribed_apps)` };
    return phone.webhookOverride?.callbackUri ?? subscription.overrideCallbackUri ?? appUrl ?? { skipped: 'no app callback URL configured' };
  }

  private entryFor(event: WebhookEventInput): WebhookEntry {
    const time = this.clock.nowSeconds();
    switch (event.type) {
      case 'message': {
        const phone = this.phone(event);
        const from = event.from ?? '447700900123';
        return {
          id: phone.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: metadataOf(phone),
                contacts: [{ profile: { name: event.name ?? 'Dana Lee' }, wa_id: from }],
                messages: [inboundMessage(event, { from, id: newWamid(), timestamp: String(time) })],
              },
            },
          ],
        };
      }
      case 'status': {
        const phone = this.phone(event);
        const status = event.status ?? 'delivered';
        return {
          id: phone.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: metadataOf(phone),
                statuses: [
                  {
                    id: event.messageId ?? newWamid(),
                    status,
                    timestamp: String(time),
                    recipient_id: event.recipientId ?? '447700900123',
                    ...(status === 'failed' && { errors: [statusError(event.errorCode ?? 131047)] }),
                  },
                ],
              },
            },
          ],
        };
      }
      case 'account_update': {
        const waba = this.waba(event.wabaId ?? (event.phoneNumberId && this.phone(event).wabaId));
        const accountEvent = (event.event ?? 'PARTNER_ADDED') as AccountUpdateEvent;
        const partnerEvent = accountEvent === 'PARTNER_ADDED';
        return {
          // PARTNER_ADDED names the partner's business in entry.id, not the WABA (docs/meta.md §6.4).
          id: partnerEvent ? this.world.app.partnerBusinessId : waba.id,
          time,
          changes: [
            {
              field: 'account_update',
              value: {
                event: accountEvent,
                waba_info: { waba_id: waba.id, owner_business_id: waba.ownerBusinessId, partner_app_id: this.world.app.id },
              },
            },
          ],
        };
      }
      case 'phone_number_quality_update': {
        const phone = this.phone(event);
        const limit = event.currentLimit ?? phone.messagingLimit;
        return {
          id: phone.wabaId,
          time,
          changes: [
            {
              field: 'phone_number_quality_update',
              value: {
                display_phone_number: digitsOf(phone),
                event: event.event ?? 'UPGRADE',
                ...(event.oldLimit && { old_limit: event.oldLimit }),
                current_limit: limit,
                max_daily_conversations_per_business: limit,
              },
            },
          ],
        };
      }
      case 'smb_message_echo': {
        // A message the business sent from the WhatsApp Business app (coexistence numbers only).
        const phone = this.phone(event);
        if (!phone.isOnBizApp) throw new BadRequestException('smb_message_echo needs a number on the WhatsApp Business app (isOnBizApp)');
        return echoEntry(phone, { to: event.recipientId ?? '447700900123', text: event.text ?? 'Sent from the WhatsApp Business app' }, time);
      }
      case 'phone_number_name_update': {
        const phone = this.phone(event);
        const decision = event.decision ?? 'APPROVED';
        return {
          id: phone.wabaId,
          time,
          changes: [
            {
              field: 'phone_number_name_update',
              value: {
                display_phone_number: digitsOf(phone),
                decision,
                requested_verified_name: event.requestedVerifiedName ?? phone.verifiedName,
                rejection_reason: event.rejectionReason ?? (decision === 'DECLINED' || decision === 'REJECTED' ? 'NAME_FORMAT_UNACCEPTABLE' : null),
              },
            },
          ],
        };
      }
    }
  }

  private phone(event: WebhookEventInput): PhoneNumberRecord {
    const phone = event.phoneNumberId ? this.world.phoneNumbers.get(event.phoneNumberId) : undefined;
    if (!phone) throw new BadRequestException(`${event.type} needs an existing phoneNumberId`);
    return phone;
  }

  private waba(id: string | undefined): WabaRecord {
    const waba = id ? this.world.wabas.get(id) : undefined;
    if (!waba) throw new BadRequestException('the event needs an existing wabaId');
    return waba;
  }
}

/**
 * One inbound message of any type. `@waba/meta-graph` types only text messages, so the other
 * shapes are built here and cast: they are what Meta sends (docs/meta.md §6.5).
 */
function inboundMessage(event: WebhookEventInput, head: { from: string; id: string; timestamp: string }): InboundMessage {
  const type = event.messageType ?? 'text';
  const media = (mimeType: string, extra: Record<string, unknown> = {}) => ({
    id: String(Math.floor(Math.random() * 9e14) + 1e14),
    mime_type: mimeType,
    sha256: randomBytes(32).toString('base64'),
    ...extra,
  });
  const caption = event.text === undefined ? {} : { caption: event.text };
  const bodies: Record<InboundMessageType, Record<string, unknown>> = {
    text: { text: { body: event.text ?? 'Hello' } },
    reaction: { reaction: { message_id: event.messageId ?? newWamid(), emoji: event.emoji ?? '\u{1F44D}' } },
    image: { image: media('image/jpeg', caption) },
    video: { video: media('video/mp4', caption) },
    audio: { audio: media('audio/ogg; codecs=opus', { voice: true }) },
    document: { document: media('application/pdf', { filename: 'invoice.pdf', ...caption }) },
    sticker: { sticker: media('image/webp', { animated: false }) },
    location: { location: { latitude: 51.5072, longitude: -0.1276, name: 'Sandbox Cafe', address: '1 Example Street, London' } },
  };
  return { ...head, type, ...bodies[type] } as unknown as InboundMessage;
}

function metadataOf(phone: PhoneNumberRecord): { display_phone_number: string; phone_number_id: string } {
  return { display_phone_number: digitsOf(phone), phone_number_id: phone.id };
}

function digitsOf(phone: PhoneNumberRecord): string {
  return phone.displayPhoneNumber.replace(/\D/g, '');
}

function newWamid(): string {
  return `wamid.${randomBytes(27).toString('base64')}`;
}

function statusError(code: number) {
  const title = code === 131047 ? 'Re-engagement message' : 'Message failed';
  return {
    code,
    title,
    message: title,
    error_data: { details: `Message failed with error ${code}.` },
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  };
}

/** One payload; changes for the same entry id and time share one entry, as Meta batches them. */
function mergeEntries(entries: WebhookEntry[]): WebhookPayload {
  const merged = groupBy(entries, (entry) => `${entry.id}|${entry.time ?? ''}`);
  return {
    object: 'whatsapp_business_account',
    entry: [...merged.values()].map((group) => ({ ...group[0], changes: group.flatMap((entry) => entry.changes) })),
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
