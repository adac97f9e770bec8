import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { Types, type Model } from 'mongoose';
import { isolatedTestDatabaseUri } from '../../../../tools/database/test-database';
import { MetaConnection, MetaConnectionSchema } from '../credentials/meta-connection.schema';
import { TokenCheckClaim, TokenCheckClaimSchema } from './token-check-claim.schema';
import { TokenCheckRepository } from './token-check.repository';

describe('TokenCheckRepository (real database)', () => {
  let moduleRef: TestingModule;
  let repository: TokenCheckRepository;
  let connections: Model<MetaConnection>;
  let claims: Model<TokenCheckClaim>;
  const now = new Date('2026-11-25T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const account = new Types.ObjectId();

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(isolatedTestDatabaseUri('token_check')),
        MongooseModule.forFeature([
          { name: MetaConnection.name, schema: MetaConnectionSchema },
          { name: TokenCheckClaim.name, schema: TokenCheckClaimSchema },
        ]),
      ],
      providers: [TokenCheckRepository],
    }).compile();
    repository = moduleRef.get(TokenCheckRepository);
    connections = moduleRef.get(getModelToken(MetaConnection.name));
    claims = moduleRef.get(getModelToken(TokenCheckClaim.name));
    await Promise.all([connections.init(), claims.init()]);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => Promise.all([connections.deleteMany({}), claims.deleteMany({})]));

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
  const claimable = async (at = now) => (await repository.findClaimable({}, at, 100))[0];

  it('lets exactly one of many concurrent claimers win each credential', async () => {
    await insert(30);
    const candidates = await repository.findClaimable({}, now, 100);
    expect(candidates).toHaveLength(30);
    const wins: string[] = [];
    // Every worker races for every credential, the worst case of two instances reading the same
    // batch: half claim one at a time, half the whole batch in one insert.
    await Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        if (worker % 2) return wins.push(...(await repository.claimMany(candidates, `instance-${worker}`, now, later(60_000))).keys());
        for (const candidate of candidates) {
          const claimId = await repository.tryClaim(candidate, `instance-${worker}`, now, later(60_000));
          if (claimId) wins.push(candidate.id);
        }
        return undefined;
      }),
    );
    expect(wins.sort()).toEqual(candidates.map((c) => c.id).sort());
    expect(await claims.countDocuments()).toBe(30);
  });

  it('takes over a claim that expired unfinished and refuses the old holder’s late write', async () => {
    const [doc] = await insert(1);
    const candidate = await claimable();
    const crashed = await repository.tryClaim(candidate, 'crashed', now, later(30_000));
    expect(crashed).toMatch(/#0$/);
    expect(await repository.tryClaim(candidate, 'other', later(10_000), later(40_000))).toBeNull();

    const takeover = await repository.tryClaim(await claimable(later(31_000)), 'other', later(31_000), later(61_000));
    expect(takeover).toMatch(/#1$/);
    expect(await repository.complete(String(doc._id), crashed ?? '', { status: 'needs_reauth', nextCheckAt: null })).toBe(false);
    expect(await repository.recordFailure(String(doc._id), crashed ?? '', 'late', later(90_000))).toBe(false);
    expect(await repository.complete(String(doc._id), takeover ?? '', { nextCheckAt: later(86_400_000) })).toBe(true);
    expect(await connections.findById(doc._id).lean()).toMatchObject({ status: 'active', nextCheckAt: later(86_400_000) });
    // A finished check moved the credential on: its claim is never taken over, even after the lease.
    expect(await repository.tryClaim(candidate, 'third', later(120_000), later(150_000))).toBeNull();
  });

  it('offers only due credentials that are active or expiring, earliest first, within the scope', async () => {
    await insert(1, { nextCheckAt: later(60_000) });
    await insert(1, { status: 'needs_reauth', nextCheckAt: now });
    const [late] = await insert(1, { nextCheckAt: later(-1_000) });
    const [early] = await insert(1, { nextCheckAt: later(-5_000), status: 'expiring' });
    await insert(1, { accountId: new Types.ObjectId(), nextCheckAt: later(-9_000) });

    const scope = { accountId: String(account) };
    expect((await repository.findClaimable(scope, now, 10)).map((c) => c.id)).toEqual([String(early._id), String(late._id)]);
    expect(await repository.countDue(scope, now)).toBe(2); // the needs_reauth one was unscheduled on the way
    expect((await repository.findClaimable(scope, now, 10, [String(early._id)])).map((c) => c.id)).toEqual([String(late._id)]);
  });

  it('counts failures in a row without touching the status, and schedules credentials that predate the check', async () => {
    const [doc] = await insert(1, { status: 'expiring' });
    await connections.collection.updateOne({ _id: doc._id }, { $unset: { nextCheckAt: 1 } }); // saved before the check existed
    expect(await repository.findClaimable({}, now, 10)).toEqual([]);
    expect(await repository.scheduleUnscheduled(now)).toBe(1);
    const claimId = await repository.tryClaim(await claimable(), 'a', now, later(1000));
    expect(await repository.recordFailure(String(doc._id), claimId ?? '', 'Graph GET /v25.0/debug_token failed: HTTP 502', later(60_000))).toBe(true);
    const stored = await connections.findById(doc._id).lean();
    expect(stored).toMatchObject({ status: 'expiring', checkFailures: 1, nextCheckAt: later(60_000) });
  });
});
