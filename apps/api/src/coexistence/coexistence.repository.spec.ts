import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { isolatedTestDatabaseUri } from '@waba/testing';
import { Types, type Connection } from 'mongoose';
import { CoexistenceSync, CoexistenceSyncSchema } from './coexistence-sync.schema';
import { CoexistenceRepository } from './coexistence.repository';

/** Against the test database (FerretDB rewrites a whole document per update). */
describe('CoexistenceRepository', () => {
  let module: TestingModule;
  let repository: CoexistenceRepository;

  beforeAll(async () => {
    module = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(isolatedTestDatabaseUri('coexistence')), MongooseModule.forFeature([{ name: CoexistenceSync.name, schema: CoexistenceSyncSchema }])],
      providers: [CoexistenceRepository],
    }).compile();
    repository = module.get(CoexistenceRepository);
  });

  afterAll(async () => {
    await module.get<Connection>(getConnectionToken()).dropDatabase();
    await module.close();
  });

  it('loses no history chunk written while the sync job stores its request id', async () => {
    const accountId = new Types.ObjectId().toHexString();
    const phoneNumberId = '106540352242922';
    await repository.ensure({ accountId, phoneNumberId, wabaId: 'waba-1', connectionId: new Types.ObjectId().toHexString(), displayPhone: '+1 555 0100', onboardedAt: new Date() });

    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => repository.recordHistoryChunk(accountId, phoneNumberId, { key: `1-${i}`, messages: i + 1, progress: i * 5, phase: 1 })),
      repository.setPart(accountId, phoneNumberId, 'history', { requestId: 'request-1' }),
      repository.changeContacts(accountId, phoneNumberId, ['447700900123'], []),
    ]);

    const record = await repository.find(phoneNumberId);
    expect(Object.keys(record?.historyChunks ?? {})).toHaveLength(12);
    expect(record?.history.requestId).toBe('request-1');
    expect(record?.contactNumbers).toEqual(['447700900123']);
    expect(record?.historyProgress).toBe(55);
  });
});
