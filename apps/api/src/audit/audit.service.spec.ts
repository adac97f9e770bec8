import type { MockProxy } from 'jest-mock-extended';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { ACCOUNT_ID, aTenant, USER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

describe('AuditService', () => {
  let clock: FakeClock;
  let repository: MockProxy<AuditRepository>;
  let service: AuditService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<AuditRepository>('repository');
    repository.insert.mockResolvedValue();
    service = new AuditService(repository, clock);
  });

  it.each([
    ['a signed-in user, by name', aTenant(), { userId: USER_ID, actorName: 'Olivia Owner' }],
    ['a user whose session predates names', aTenant({ userName: null }), { userId: USER_ID, actorName: null }],
    ['the system for a tenant', { accountId: ACCOUNT_ID }, { userId: null, actorName: 'system' }],
    ['a named system actor', { accountId: ACCOUNT_ID, name: 'Meta webhook' }, { userId: null, actorName: 'Meta webhook' }],
  ])('records who acted: %s', async (_case, actor, who) => {
    await service.record(actor, 'waba.subscribed', 'WABA 1');
    expect(repository.insert).toHaveBeenCalledWith(ACCOUNT_ID, { ...who, action: 'waba.subscribed', target: 'WABA 1', details: null, at: clock.now() });
  });

  it("pages the tenant's log within bounds", async () => {
    repository.list.mockResolvedValue([]);
    await service.list(aTenant(), 0, 5);
    await service.list(aTenant(), 10_000);
    expect(repository.list.mock.calls).toEqual([
      [ACCOUNT_ID, 1, 5],
      [ACCOUNT_ID, 500, 0],
    ]);
  });

  it.each([-1, 100_001])('refuses offset %p', async (offset) => {
    await expect(async () => service.list(aTenant(), 10, offset)).rejects.toThrow(InvalidRequestError);
  });
});
