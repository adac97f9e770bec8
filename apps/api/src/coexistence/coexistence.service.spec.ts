import type { MockProxy } from 'jest-mock-extended';
import type { MetaGraphClient } from '@waba/meta-graph';
import { Types } from 'mongoose';
import type { AuditService } from '../audit/audit.service';
import type { CredentialsService } from '../credentials/credentials.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { ACCOUNT_ID, aGraphError, CONNECTION_ID, PHONE_NUMBER_ID, WABA_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { SyncPart } from './coexistence-sync.schema';
import type { CoexistenceRepository, CoexistenceSyncRecord, SyncKind } from './coexistence.repository';
import { CoexistenceService, TemporarySyncFailure } from './coexistence.service';

/** The repository's rules in memory: a kind leaves `waiting` only once. */
class InMemorySyncs {
  record: CoexistenceSyncRecord | null = null;

  async ensure(input: { phoneNumberId: string; wabaId: string; displayPhone: string; onboardedAt: Date }): Promise<CoexistenceSyncRecord> {
    this.record ??= {
      _id: new Types.ObjectId(),
      accountId: new Types.ObjectId(ACCOUNT_ID),
      connectionId: new Types.ObjectId(CONNECTION_ID),
      ...input,
      contacts: part(),
      history: part(),
      contactNumbers: [],
      historyProgress: 0,
      historyPhase: null,
      historyChunks: {},
      echoIds: [],
    };
    return this.copy();
  }
  async find(): Promise<CoexistenceSyncRecord | null> {
    return this.record && this.copy();
  }
  async transition(_id: string, kind: SyncKind, from: string, to: Partial<SyncPart>): Promise<CoexistenceSyncRecord | null> {
    if (!this.record || this.record[kind].state !== from) return null;
    this.record[kind] = { ...this.record[kind], ...to };
    return this.copy();
  }
  async setPart(_a: string, _p: string, kind: SyncKind, to: Partial<SyncPart>): Promise<CoexistenceSyncRecord | null> {
    if (!this.record) return null;
    this.record[kind] = { ...this.record[kind], ...to };
    return this.copy();
  }
  async recordHistoryChunk(_a: string, _p: string, chunk: { key: string; messages: number; progress: number | null; phase: number | null }): Promise<CoexistenceSyncRecord | null> {
    if (!this.record) return null;
    this.record.historyChunks[chunk.key] = chunk.messages;
    this.record.historyProgress = Math.max(this.record.historyProgress, chunk.progress ?? 0);
    if (chunk.phase !== null) this.record.historyPhase = Math.max(this.record.historyPhase ?? 0, chunk.phase);
    return this.copy();
  }
  private copy(): CoexistenceSyncRecord {
    return structuredClone(this.record) as CoexistenceSyncRecord;
  }
}

function part(): SyncPart {
  return { state: 'waiting', requestId: null, requestedAt: null, error: null };
}

describe('CoexistenceService', () => {
  let clock: FakeClock;
  let syncs: InMemorySyncs;
  let graph: MockProxy<MetaGraphClient>;
  let credentials: MockProxy<CredentialsService>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<RealtimePublisher>;
  let service: CoexistenceService;

  beforeEach(() => {
    clock = new FakeClock('2026-12-01T10:00:00Z');
    syncs = new InMemorySyncs();
    graph = strictMock<MetaGraphClient>('graph');
    credentials = strictMock<CredentialsService>('credentials');
    audit = strictMock<AuditService>('audit');
    events = strictMock<RealtimePublisher>('events');
    credentials.tokenOf.mockResolvedValue('business-token');
    audit.record.mockResolvedValue();
    events.publish.mockReturnValue();
    service = new CoexistenceService(syncs as unknown as CoexistenceRepository, credentials, graph, audit, events, clock);
  });

  const connect = (onboardedAt: Date | null = clock.now()) =>
    service.connected({ accountId: ACCOUNT_ID, phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, connectionId: CONNECTION_ID, displayPhone: '+44 7700 900461', onboardedAt });

  it('asks Meta for the contacts and the history once each, however often the job runs', async () => {
    graph.requestSmbAppData.mockResolvedValueOnce({ messaging_product: 'whatsapp', request_id: 'req-contacts' }).mockResolvedValueOnce({ messaging_product: 'whatsapp', request_id: 'req-history' });
    await connect();
    await service.requestSync(PHONE_NUMBER_ID);
    await service.requestSync(PHONE_NUMBER_ID);

    expect(graph.requestSmbAppData.mock.calls).toEqual([
      ['business-token', PHONE_NUMBER_ID, 'smb_app_state_sync'],
      ['business-token', PHONE_NUMBER_ID, 'history'],
    ]);
    expect(syncs.record?.contacts).toMatchObject({ state: 'requested', requestId: 'req-contacts' });
    expect(syncs.record?.history).toMatchObject({ state: 'requested', requestId: 'req-history' });
  });

  it('asks nothing once the 24-hour window has closed, and says why in words', async () => {
    await connect(new Date(clock.now().getTime() - 25 * HOUR));
    await service.requestSync(PHONE_NUMBER_ID);

    expect(graph.requestSmbAppData).not.toHaveBeenCalled();
    expect(syncs.record?.contacts.state).toBe('expired');
    expect(syncs.record?.history.error).toMatch(/24-hour window .* closed before we could ask/);
  });

  it('puts a kind back to waiting and throws (so the job retries) when Meta answers a temporary error', async () => {
    graph.requestSmbAppData.mockRejectedValueOnce(aGraphError('temporary')).mockResolvedValue({ messaging_product: 'whatsapp', request_id: 'req' });
    await connect();
    await expect(service.requestSync(PHONE_NUMBER_ID)).rejects.toBeInstanceOf(TemporarySyncFailure);
    expect(syncs.record?.contacts.state).toBe('waiting');
    expect(syncs.record?.history.state).toBe('requested');

    await service.requestSync(PHONE_NUMBER_ID); // the retry asks only for what is still waiting
    expect(graph.requestSmbAppData).toHaveBeenCalledTimes(3);
    expect(syncs.record?.contacts.state).toBe('requested');
  });

  it('records a refusal in words with the once-within-24-hours rule, without retrying', async () => {
    graph.requestSmbAppData.mockRejectedValue(aGraphError('invalid'));
    await connect();
    await service.requestSync(PHONE_NUMBER_ID);
    expect(syncs.record?.contacts.state).toBe('failed');
    expect(syncs.record?.contacts.error).toMatch(/only once, within 24 hours of connecting the number/);
    expect(syncs.record?.contacts.error).not.toMatch(/Graph said no/);
  });

  it('follows the history chunks to 100 %, counting a redelivered chunk once', async () => {
    await connect();
    const chunk = (phase: number, order: number, progress: number) => ({ phase, chunkOrder: order, progress, threads: 2, messages: 4, declined: false, errors: [] });
    await service.applyHistory(ACCOUNT_ID, PHONE_NUMBER_ID, [chunk(0, 1, 30)]);
    expect(syncs.record?.history.state).toBe('receiving');
    await service.applyHistory(ACCOUNT_ID, PHONE_NUMBER_ID, [chunk(0, 1, 30), chunk(2, 3, 100), chunk(1, 2, 70)]);
    expect(syncs.record?.history.state).toBe('complete');
    expect(syncs.record?.historyProgress).toBe(100);
    expect(Object.values(syncs.record?.historyChunks ?? {}).reduce((a, b) => a + b, 0)).toBe(12);
    expect(events.publish).toHaveBeenLastCalledWith(
      ACCOUNT_ID,
      expect.objectContaining({ type: 'coexistence.updated', sync: expect.objectContaining({ history: expect.objectContaining({ progress: 100, chunks: 3 }) }) }),
    );
  });

  it('marks the history declined when Meta says the business did not share it (2593109)', async () => {
    await connect();
    await service.applyHistory(ACCOUNT_ID, PHONE_NUMBER_ID, [
      { phase: null, chunkOrder: null, progress: null, threads: 0, messages: 0, declined: true, errors: [{ code: 2593109, title: 'History sync is turned off by the business' }] },
    ]);
    expect(syncs.record?.history.state).toBe('declined');
    expect(syncs.record?.history.error).toMatch(/chose not to share/);
  });
});
