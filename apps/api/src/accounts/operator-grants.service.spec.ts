import type { MockProxy } from 'jest-mock-extended';
import type { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors/domain-errors';
import { ACCOUNT_ID, anAccountRecord, aUserRecord, OTHER_ACCOUNT_ID, USER_ID } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import type { AccountsRepository } from './accounts.repository';
import type { OperatorGrantsRepository } from './operator-grants.repository';
import { OperatorGrantsService } from './operator-grants.service';

const EMAIL = 'olivia@acme.test';
const COMMAND = { accountId: ACCOUNT_ID, name: 'operator command' };

describe('OperatorGrantsService', () => {
  let grants: MockProxy<OperatorGrantsRepository>;
  let accounts: MockProxy<AccountsRepository>;
  let audit: MockProxy<AuditService>;
  let service: OperatorGrantsService;

  beforeEach(() => {
    grants = strictMock<OperatorGrantsRepository>('grants');
    accounts = strictMock<AccountsRepository>('accounts');
    audit = strictMock<AuditService>('audit');
    service = new OperatorGrantsService(grants, accounts, audit);
    audit.record.mockResolvedValue();
  });

  it("grants operator rights only to an existing user, and audits a new grant in the command's name", async () => {
    accounts.findUserByEmail.calledWith(EMAIL).mockResolvedValue(aUserRecord());
    grants.grant.calledWith(USER_ID, EMAIL).mockResolvedValue(true);

    await expect(service.grantOperator(EMAIL)).resolves.toBe(true);
    expect(audit.record).toHaveBeenCalledWith(COMMAND, 'operator.granted', EMAIL);
  });

  it('does not audit a grant the user already had', async () => {
    accounts.findUserByEmail.mockResolvedValue(aUserRecord());
    grants.grant.mockResolvedValue(false);
    await expect(service.grantOperator(EMAIL)).resolves.toBe(false);
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('refuses an email nobody signed up with, naming it as typed', async () => {
    accounts.findUserByEmail.mockResolvedValue(null);
    await expect(service.grantOperator(' Nobody@Acme.test ')).rejects.toThrow(NotFoundError);
    await expect(service.grantOperator(' Nobody@Acme.test ')).rejects.toThrow(/No user has the email nobody@acme\.test/);
    await expect(service.revokeOperator('nobody@acme.test')).rejects.toThrow(NotFoundError);
  });

  it('revokes a grant and audits it, or says there was none', async () => {
    accounts.findUserByEmail.mockResolvedValue(aUserRecord());
    grants.revoke.calledWith(USER_ID).mockResolvedValueOnce(true).mockResolvedValueOnce(false);

    await expect(service.revokeOperator(EMAIL)).resolves.toBe(true);
    await expect(service.revokeOperator(EMAIL)).resolves.toBe(false);
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(COMMAND, 'operator.revoked', EMAIL);
  });

  it('lists operators with their tenant, leaving out grants whose user is gone', async () => {
    const grantedAt = new Date('2026-11-01T00:00:00Z');
    grants.list.mockResolvedValue([
      { userId: USER_ID, email: EMAIL, grantedAt },
      { userId: 'gone', email: 'gone@acme.test', grantedAt },
      { userId: 'orphan', email: 'orphan@acme.test', grantedAt },
    ]);
    accounts.findUserById.mockImplementation(async (id) => (id === USER_ID ? aUserRecord() : id === 'orphan' ? aUserRecord({ id, email: 'orphan@acme.test', accountId: OTHER_ACCOUNT_ID }) : null));
    accounts.findAccount.mockImplementation(async (id) => (id === ACCOUNT_ID ? anAccountRecord() : null));

    await expect(service.listOperators()).resolves.toEqual([
      { email: EMAIL, name: 'Olivia Owner', accountId: ACCOUNT_ID, accountName: 'Acme Ltd', grantedAt },
      { email: 'orphan@acme.test', name: 'Olivia Owner', accountId: OTHER_ACCOUNT_ID, accountName: null, grantedAt },
    ]);
  });
});
