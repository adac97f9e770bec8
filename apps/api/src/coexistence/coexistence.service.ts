import { Injectable } from '@nestjs/common';
import type { CoexistenceSyncView } from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, type ReceivedContactChange, type ReceivedEcho, type ReceivedHistoryChunk, type SmbSyncType } from '@waba/meta-graph';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import type { DomainEventMap } from '../common/events/domain-events';
import { CredentialsService } from '../credentials/credentials.service';
import { describeGraphError } from '../phone-numbers/phone-numbers.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { CoexistenceRepository, type CoexistenceSyncRecord, type SyncKind } from './coexistence.repository';

/** Meta accepts the sync requests only within this long after onboarding the number. */
export const SYNC_WINDOW_MS = 24 * 3600 * 1000;
const SYNC_TYPE: Record<SyncKind, SmbSyncType> = { contacts: 'smb_app_state_sync', history: 'history' };
const WHAT: Record<SyncKind, string> = { contacts: 'contacts', history: 'chat history' };
const WINDOW_RULE =
  'WhatsApp lets us ask for the WhatsApp Business app contacts and chat history only once, within 24 hours of connecting the number; after that only disconnecting the number in the app and connecting it again opens a new window.';

/** The job asks again later (BullMQ backoff) when this is thrown: Meta answered a temporary error. */
export class TemporarySyncFailure extends Error {}

/**
 * Numbers on the WhatsApp Business app (coexistence): the contacts and history sync is requested
 * once per kind within Meta's 24-hour window, and its progress is kept from Meta's webhooks.
 */
@Injectable()
export class CoexistenceService {
  constructor(
    private readonly repository: CoexistenceRepository,
    private readonly credentials: CredentialsService,
    private readonly graph: MetaGraphClient,
    private readonly audit: AuditService,
    private readonly events: RealtimePublisher,
    private readonly clock: Clock,
  ) {}

  /** A coexistence number was connected: its sync record exists from now on (the job is queued by the caller). */
  async connected(change: DomainEventMap['coexistence.connected']): Promise<CoexistenceSyncRecord> {
    const record = await this.repository.ensure({ ...change, onboardedAt: change.onboardedAt ?? this.clock.now() });
    this.publish(record);
    return record;
  }

  async list(tenant: TenantContext): Promise<CoexistenceSyncView[]> {
    return (await this.repository.list(tenant.accountId)).map(toView);
  }

  /**
   * Asks Meta for each kind still `waiting`: exactly once (the `waiting → requested` move is atomic),
   * never after the window. A temporary Meta error puts the kind back to `waiting` and throws, so the
   * job retries; any other refusal is recorded in words and not retried.
   */
  async requestSync(phoneNumberId: string): Promise<void> {
    const record = await this.repository.find(phoneNumberId);
    if (!record) return;
    let temporary: string | null = null;
    for (const kind of ['contacts', 'history'] as const) {
      const outcome = await this.requestKind(record, kind);
      if (outcome) temporary = outcome;
    }
    if (temporary) throw new TemporarySyncFailure(temporary);
  }

  /** Returns the temporary failure's words when the kind should be asked again later. */
  private async requestKind(record: CoexistenceSyncRecord, kind: SyncKind): Promise<string | null> {
    const accountId = String(record.accountId);
    if (record[kind].state !== 'waiting') return null;
    const now = this.clock.now();
    if (now.getTime() > record.onboardedAt.getTime() + SYNC_WINDOW_MS) {
      const error = `The 24-hour window to ask for the ${WHAT[kind]} closed before we could ask (the number was connected ${record.onboardedAt.toISOString()}). ${WINDOW_RULE}`;
      const updated = await this.repository.transition(record.phoneNumberId, kind, 'waiting', { state: 'expired', error });
      if (updated) this.publish(updated);
      return null;
    }
    // Claimed before Meta is asked: a second job (or instance) finds it no longer waiting.
    const claimed = await this.repository.transition(record.phoneNumberId, kind, 'waiting', { state: 'requested', requestedAt: now, error: null });
    if (!claimed) return null;
    try {
      const token = await this.credentials.tokenOf(accountId, String(record.connectionId));
      const result = await this.graph.requestSmbAppData(token, record.phoneNumberId, SYNC_TYPE[kind]);
      const updated = await this.repository.setPart(accountId, record.phoneNumberId, kind, { requestId: result.request_id });
      await this.audit.record({ accountId, name: 'Coexistence sync' }, 'coexistence.sync_requested', `Number ${record.displayPhone}`, `${WHAT[kind]} (request ${result.request_id})`);
      if (updated) this.publish(updated);
      return null;
    } catch (error) {
      if (error instanceof MetaGraphError && error.kind === 'temporary') {
        await this.repository.transition(record.phoneNumberId, kind, 'requested', { state: 'waiting', requestedAt: null });
        return `Meta could not take the ${WHAT[kind]} request yet: ${error.message}`;
      }
      const reason = error instanceof MetaGraphError ? describeGraphError(error) : (error as Error).message;
      const words = `Meta refused the request for the ${WHAT[kind]}: ${reason} ${WINDOW_RULE}`;
      const updated = await this.repository.setPart(accountId, record.phoneNumberId, kind, { state: 'failed', error: words });
      if (updated) this.publish(updated);
      return null;
    }
  }

  /** `history` webhooks: chunks raise the progress; error 2593109 means the business declined. */
  async applyHistory(accountId: string, phoneNumberId: string, chunks: ReceivedHistoryChunk[]): Promise<void> {
    let record: CoexistenceSyncRecord | null = null;
    for (const chunk of chunks) {
      if (chunk.declined) {
        record = await this.repository.setPart(accountId, phoneNumberId, 'history', {
          state: 'declined',
          error: 'The business chose not to share its WhatsApp Business app chat history, so no past messages will arrive. New messages still do.',
        });
        continue;
      }
      if (chunk.errors.length) {
        const first = chunk.errors[0];
        record = await this.repository.setPart(accountId, phoneNumberId, 'history', {
          state: 'failed',
          error: `Meta could not send the chat history: ${first.title ?? 'an error'} (code ${first.code ?? '?'}).`,
        });
        continue;
      }
      const key = `${chunk.phase ?? 'x'}-${chunk.chunkOrder ?? 'x'}`;
      record = await this.repository.recordHistoryChunk(accountId, phoneNumberId, { key, messages: chunk.messages, progress: chunk.progress, phase: chunk.phase });
      if (record && record.history.state !== 'declined') {
        const state = record.historyProgress >= 100 ? 'complete' : 'receiving';
        record = (await this.repository.setPart(accountId, phoneNumberId, 'history', { state, error: null })) ?? record;
      }
    }
    if (record) this.publish(record);
  }

  /** `smb_app_state_sync`: the app's address book (the first one is the sync; later ones, its edits). */
  async applyContacts(accountId: string, phoneNumberId: string, contacts: ReceivedContactChange[]): Promise<void> {
    const added = contacts.filter((c) => c.action === 'add').map((c) => c.phoneNumber);
    const removed = contacts.filter((c) => c.action === 'remove').map((c) => c.phoneNumber);
    await this.repository.changeContacts(accountId, phoneNumberId, added, removed);
    const record = await this.repository.setPart(accountId, phoneNumberId, 'contacts', { state: 'complete', error: null });
    if (record) this.publish(record);
  }

  /** `smb_message_echoes`: counted on the number (the tenant events are written by the webhook applier). */
  async applyEchoes(accountId: string, phoneNumberId: string, echoes: ReceivedEcho[]): Promise<void> {
    const record = await this.repository.addEchoes(
      accountId,
      phoneNumberId,
      echoes.map((e) => e.id),
    );
    if (record) this.publish(record);
  }

  private publish(record: CoexistenceSyncRecord): void {
    this.events.publish(String(record.accountId), { type: 'coexistence.updated', sync: toView(record) });
  }
}

export function toView(record: CoexistenceSyncRecord): CoexistenceSyncView {
  const part = (kind: SyncKind) => ({ state: record[kind].state, requestedAt: record[kind].requestedAt?.toISOString() ?? null, error: record[kind].error });
  const chunkCounts = Object.values(record.historyChunks ?? {});
  return {
    phoneNumberId: record.phoneNumberId,
    wabaId: record.wabaId,
    displayPhone: record.displayPhone,
    onboardedAt: record.onboardedAt.toISOString(),
    windowClosesAt: new Date(record.onboardedAt.getTime() + SYNC_WINDOW_MS).toISOString(),
    contacts: { ...part('contacts'), received: record.contactNumbers?.length ?? 0 },
    history: {
      ...part('history'),
      progress: record.historyProgress ?? 0,
      phase: record.historyPhase ?? null,
      chunks: chunkCounts.length,
      messages: chunkCounts.reduce((sum, n) => sum + n, 0),
    },
    echoes: record.echoIds?.length ?? 0,
  };
}
