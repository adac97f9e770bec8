// Numbers on the WhatsApp Business app (coexistence): the one-time contacts and history sync
// (`POST /{phone}/smb_app_data`) and what Meta then sends by webhook (docs/meta.md "WhatsApp
// Business app numbers").
import { Injectable } from '@nestjs/common';
import { SmbAppDataResult, SmbSyncType } from '@waba/meta-graph';
import { randomUUID } from 'node:crypto';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { historyEntries, stateSyncEntry } from '../webhooks/coexistence-payloads';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { PhoneNumberRecord } from '../world/world.types';

/** Meta accepts the sync requests only this long after the number was onboarded. */
export const SYNC_WINDOW_MS = 24 * 3600 * 1000;
const SYNC_TYPES: readonly SmbSyncType[] = ['smb_app_state_sync', 'history'];
/** "In the following minutes" on Meta's side; a moment here, after the request was answered. */
const WEBHOOK_DELAY_MS = 100;

@Injectable()
export class CoexistenceService {
  constructor(
    private readonly clock: SandboxClock,
    private readonly webhooks: WebhookEventsService,
  ) {}

  /** Accepts each sync type once per onboarding, within 24 hours of it; the webhooks follow. */
  requestSync(phone: PhoneNumberRecord, syncType: string | undefined, messagingProduct: string | undefined): SmbAppDataResult {
    if (messagingProduct !== 'whatsapp') throw GraphException.invalidParameter('(#100) The parameter messaging_product is required.');
    if (!SYNC_TYPES.includes(syncType as SmbSyncType)) {
      throw GraphException.invalidParameter(`(#100) Param sync_type must be one of {${SYNC_TYPES.join(', ')}} - got "${syncType ?? ''}".`);
    }
    const type = syncType as SmbSyncType;
    if (!phone.isOnBizApp || phone.onboardedAtMs === undefined) {
      throw syncRefused('This phone number was not onboarded from the WhatsApp Business app.');
    }
    const now = this.clock.nowMs();
    if (now > phone.onboardedAtMs + SYNC_WINDOW_MS) {
      throw syncRefused('Contacts and chat history can only be synchronized within 24 hours of onboarding. To synchronize, the business must be offboarded and complete Embedded Signup again.');
    }
    if (phone.smbSyncRequests?.[type]) {
      throw syncRefused(`The ${type} synchronization was already requested for this phone number; it can be requested only once per onboarding.`);
    }
    const requestId = randomUUID();
    phone.smbSyncRequests = { ...phone.smbSyncRequests, [type]: { requestId, atMs: now } };
    setTimeout(() => {
      const nowS = this.clock.nowSeconds();
      this.webhooks.sendForNumber(phone, type === 'history' ? historyEntries(phone, nowS) : [stateSyncEntry(phone, nowS)]);
    }, WEBHOOK_DELAY_MS).unref();
    return { messaging_product: 'whatsapp', request_id: requestId };
  }

  /** A coexistence signup finished: the app numbers it granted are onboarded now (the window opens, the requests reset). */
  onboarded(phones: PhoneNumberRecord[]): void {
    for (const phone of phones.filter((p) => p.isOnBizApp)) {
      phone.onboardedAtMs = this.clock.nowMs();
      phone.smbSyncRequests = {};
    }
  }
}

function syncRefused(details: string): GraphException {
  return new GraphException({ code: 100, message: `(#100) ${details}`, errorData: { messaging_product: 'whatsapp', details } });
}
