import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { Types, type Model } from 'mongoose';
import { isolatedTestDatabaseUri } from '../../../../tools/database/test-database';
import { MetaConnection, MetaConnectionSchema } from '../credentials/meta-connection.schema';
import { TokenCheckRepository } from './token-check.repository';

describe('TokenCheckRepository (real database)', () => {
  let moduleRef: TestingModule;
  let repository: TokenCheckRepository;
  let connections: Model<MetaConnection>;
  const now = new Date('2026-11-25T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const account = new Types.ObjectId();

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(isolatedTestDatabaseUri('token_check')), MongooseModule.forFeature([{ name: MetaConnection.name, schema: MetaConnectionSchema }])],
      providers: [TokenCheckRepository],
    }).compile();
    repository = moduleRef.get(TokenCheckRepository);
    connections = moduleRef.get(getModelToken(MetaConnection.name));
    await connections.init();
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => connections.deleteMany({}));

  const insert = (count: number, fields: Partial<MetaConnection> = {}) =>
    connections.insertMany(
      Array.from({ length: count }, (_, i) => ({
        accountId: account,
        tokenFingerprint: `fp-${i}-${Math.random()}`,
        encryptedToken: 'v1.test.x.y.z',
        source: 'embedded_signup',
        status: 'active',
        nextCheckAt: now,
        ...fields,
      })),
    );

  it('hands every due credential to exactly one of many concurrent claimers', async () => {
    await insert(40);
    const claimedIds: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (;;) {
          const claimed = await repository.claimNext({}, `w${worker}`, now, later(60_000));
          if (!claimed) return;
          claimedIds.push(claimed.id);
          expect(await repository.complete(claimed.id, `w${worker}`, { nextCheckAt: later(86_400_000) })).not.toBeNull();
        }
      }),
    );
    expect(claimedIds).toHaveLength(40);
    expect(new Set(claimedIds).size).toBe(40);
    expect(await repository.claimNext({}, 'late', now, later(60_000))).toBeNull();
  });

  it('takes over a claim that expired and refuses the old holder’s late write', async () => {
    const [doc] = await insert(1);
    const first = await repository.claimNext({}, 'crashed#1', now, later(30_000));
    expect(first?.id).toBe(String(doc._id));
    expect(await repository.claimNext({}, 'other#1', later(10_000), later(40_000))).toBeNull();

    const takeover = await repository.claimNext({}, 'other#1', later(31_000), later(61_000));
    expect(takeover?.id).toBe(String(doc._id));
    expect(await repository.complete(String(doc._id), 'crashed#1', { status: 'needs_reauth', nextCheckAt: null })).toBeNull();
    expect(await repository.recordFailure(String(doc._id), 'crashed#1', 'late', later(90_000))).toBe(false);
    expect(await repository.complete(String(doc._id), 'other#1', { nextCheckAt: later(86_400_000) })).toMatchObject({ status: 'active', claimedBy: null });
  });

  it('claims only due credentials that are active or expiring, earliest first, within the scope', async () => {
    await insert(1, { nextCheckAt: later(60_000) });
    await insert(1, { status: 'needs_reauth', nextCheckAt: now });
    const [late] = await insert(1, { nextCheckAt: later(-1_000) });
    const [early] = await insert(1, { nextCheckAt: later(-5_000), status: 'expiring' });
    await insert(1, { accountId: new Types.ObjectId(), nextCheckAt: later(-9_000) });

    const scope = { accountId: String(account) };
    expect(await repository.countDue(scope, now)).toBe(2);
    expect((await repository.claimNext(scope, 'a', now, later(1000)))?.id).toBe(String(early._id));
    expect((await repository.claimNext(scope, 'a', now, later(1000)))?.id).toBe(String(late._id));
    expect(await repository.claimNext(scope, 'a', now, later(1000))).toBeNull();
  });

  it('counts failures in a row without touching the status, and schedules credentials that predate the check', async () => {
    const [doc] = await insert(1, { nextCheckAt: null, status: 'expiring' });
    expect(await repository.claimNext({}, 'a', now, later(1000))).toBeNull();
    expect(await repository.scheduleUnscheduled(now)).toBe(1);
    const claimed = await repository.claimNext({}, 'a', now, later(1000));
    expect(await repository.recordFailure(String(doc._id), 'a', 'Graph GET /v25.0/debug_token failed: HTTP 502', later(60_000))).toBe(true);
    const stored = await connections.findById(doc._id).lean();
    expect(claimed?.id).toBe(String(doc._id));
    expect(stored).toMatchObject({ status: 'expiring', checkFailures: 1, claimedBy: null, nextCheckAt: later(60_000) });
  });
});
