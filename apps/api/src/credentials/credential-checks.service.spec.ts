import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { isolatedTestDatabaseUri } from '@waba/testing';
import { Types, type Connection, type Model } from 'mongoose';
import { CredentialChecksRepository } from './credential-checks.repository';
import { CredentialChecksService } from './credential-checks.service';
import { MetaConnection, MetaConnectionSchema } from './meta-connection.schema';

const NOW = new Date('2026-12-02T10:00:00Z');
const EARLIER = new Date('2026-12-02T09:00:00Z');
const LATER = new Date('2026-12-02T11:00:00Z');

/** Against the test database: which credentials are due, and what a check writes, is the data itself. */
describe('CredentialChecksService', () => {
  let module: TestingModule;
  let connections: Model<MetaConnection>;
  let service: CredentialChecksService;
  let accountId: Types.ObjectId;

  beforeAll(async () => {
    module = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(isolatedTestDatabaseUri('credential_checks')), MongooseModule.forFeature([{ name: MetaConnection.name, schema: MetaConnectionSchema }])],
      providers: [CredentialChecksRepository, CredentialChecksService],
    }).compile();
    connections = module.get(getModelToken(MetaConnection.name));
    service = module.get(CredentialChecksService);
  });

  beforeEach(() => {
    accountId = new Types.ObjectId();
  });

  afterAll(async () => {
    await module.get<Connection>(getConnectionToken()).dropDatabase();
    await module.close();
  });

  /** A stored credential of the current tenant; its id. */
  async function stored(fields: Partial<MetaConnection>): Promise<string> {
    const [doc] = await connections.insertMany([{ accountId, tokenFingerprint: new Types.ObjectId().toHexString(), encryptedToken: 'v2.x', source: 'oauth', status: 'active', ...fields }]);
    return String(doc._id);
  }

  async function due(): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of service.dueCredentials({ accountId: String(accountId) }, NOW)) ids.push(...page.map((c) => c.id));
    return ids.sort();
  }

  it('lists the active and expiring credentials that are due, and unschedules those the check leaves alone', async () => {
    const active = await stored({ nextCheckAt: EARLIER });
    const expiring = await stored({ status: 'expiring', nextCheckAt: NOW });
    const reconnect = await stored({ status: 'needs_reauth', nextCheckAt: EARLIER });
    await stored({ nextCheckAt: LATER });

    expect(await due()).toEqual([active, expiring].sort());
    expect((await connections.findById(reconnect).lean())?.nextCheckAt).toBeNull();
    expect(await due()).toEqual([active, expiring].sort());
  });

  it('makes a credential saved before the check existed due now', async () => {
    const id = await stored({});
    await connections.updateOne({ _id: id }, { $unset: { nextCheckAt: 1 } });

    expect(await service.scheduleUnscheduled(NOW)).toBeGreaterThanOrEqual(1);
    expect(await due()).toEqual([id]);
  });

  it('finds the credential a check job is for only while the check still works on it', async () => {
    const active = await stored({ nextCheckAt: NOW, grantedWabaIds: ['waba-1'] });
    const revoked = await stored({ status: 'revoked' });

    expect(await service.findCheckable(active)).toMatchObject({ id: active, accountId: String(accountId), grantedWabaIds: ['waba-1'], nextCheckAt: NOW, checkFailures: 0 });
    expect(await service.findCheckable(revoked)).toBeNull();
    expect(await service.findCheckable('not-an-id')).toBeNull();
  });

  it('counts a failed check and moves it on, leaving status and token alone', async () => {
    const id = await stored({ nextCheckAt: NOW, checkFailures: 2 });

    await service.recordFailure(id, 'Meta timed out', LATER);

    expect(await connections.findById(id).lean()).toMatchObject({ status: 'active', encryptedToken: 'v2.x', checkFailures: 3, lastCheckFailure: 'Meta timed out', nextCheckAt: LATER });
    expect(await due()).toEqual([]);
  });

  it('writes what a check found; `--all` makes every scheduled credential due again', async () => {
    const id = await stored({ nextCheckAt: NOW });

    await service.recordCheck(id, { status: 'expiring', lastCheckedAt: NOW, nextCheckAt: LATER, checkFailures: 0 });
    expect(await connections.findById(id).lean()).toMatchObject({ status: 'expiring', nextCheckAt: LATER });
    expect(await service.countDue({ accountId: String(accountId) }, NOW)).toBe(0);

    expect(await service.makeDue({ accountId: String(accountId) }, NOW)).toBe(1);
    expect(await due()).toEqual([id]);
  });

  it('writes checks finishing together each with its own result, and leaves out what a result does not name', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => stored({ nextCheckAt: NOW, lastError: 'from before' })));
    const nextCheckAt = (i: number) => new Date(LATER.getTime() + i * 60_000);

    await Promise.all(ids.map((id, i) => service.recordCheck(id, { status: i % 2 ? 'expiring' : 'active', lastCheckedAt: NOW, nextCheckAt: nextCheckAt(i), checkFailures: 0, lastError: undefined })));

    const written = await connections.find({ _id: { $in: ids } }).lean();
    expect(written.map((doc) => [String(doc._id), doc.status, doc.nextCheckAt?.getTime(), doc.lastError]).sort()).toEqual(
      ids.map((id, i) => [id, i % 2 ? 'expiring' : 'active', nextCheckAt(i).getTime(), 'from before']).sort(),
    );
  });
});
