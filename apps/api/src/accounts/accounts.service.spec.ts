import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { isolatedTestDatabaseUri } from '@waba/testing';
import { UserRole } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { Account, AccountSchema } from './account.schema';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { Session, SessionSchema } from './session.schema';
import { User, UserSchema } from './user.schema';

/** Against the test database: what other modules read of tenants is the data itself. */
describe('AccountsService', () => {
  let module: TestingModule;
  let repository: AccountsRepository;
  let service: AccountsService;

  beforeAll(async () => {
    module = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(isolatedTestDatabaseUri('accounts_service')),
        MongooseModule.forFeature([
          { name: Account.name, schema: AccountSchema },
          { name: User.name, schema: UserSchema },
          { name: Session.name, schema: SessionSchema },
        ]),
      ],
      providers: [AccountsRepository, AccountsService],
    }).compile();
    repository = module.get(AccountsRepository);
    service = module.get(AccountsService);
  });

  afterAll(async () => {
    await module.get<Connection>(getConnectionToken()).dropDatabase();
    await module.close();
  });

  it('reads a tenant, and null for one that does not exist', async () => {
    const accountId = repository.newAccountId();
    await repository.createAccount(accountId, 'Acme Bakery');

    expect(await service.account(accountId)).toMatchObject({ id: accountId, name: 'Acme Bakery' });
    expect(await service.account(repository.newAccountId())).toBeNull();
  });

  it("reads a user only as a member of their own tenant, never through another tenant's id", async () => {
    const [acme, other] = [repository.newAccountId(), repository.newAccountId()];
    await repository.createAccount(acme, 'Acme');
    await repository.createAccount(other, 'Other');
    const dana = await repository.createUser(acme, { name: 'Dana', email: `dana-${acme}@example.com`, role: UserRole.Admin, passwordHash: 'x' });

    expect(await service.member(acme, dana.id)).toMatchObject({ id: dana.id, name: 'Dana' });
    expect(await service.member(other, dana.id)).toBeNull();
  });

  it('lists every tenant, oldest first', async () => {
    const ids = await service.allAccounts().then((accounts) => accounts.map((a) => a.id));
    const newest = repository.newAccountId();
    await repository.createAccount(newest, 'Newest');

    expect((await service.allAccounts()).map((a) => a.id)).toEqual([...ids, newest]);
  });
});
