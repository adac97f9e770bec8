import type { AccountsService } from '../accounts/accounts.service';
import type { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { ACCOUNT_ID, anAccountRecord, OTHER_ACCOUNT_ID } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import { TenantsOverviewService } from './tenants-overview.service';

describe('TenantsOverviewService', () => {
  it("counts each tenant's WABAs and numbers, and how many of them are connected", async () => {
    const accounts = strictMock<AccountsService>('accounts');
    const phoneNumbers = strictMock<PhoneNumbersService>('phoneNumbers');
    accounts.allAccounts.mockResolvedValue([anAccountRecord(), anAccountRecord({ id: OTHER_ACCOUNT_ID, name: 'Empty Co' })]);
    phoneNumbers.ownersAndStates.mockResolvedValue({
      wabas: [
        { accountId: ACCOUNT_ID, state: 'connected' },
        { accountId: ACCOUNT_ID, state: 'revoked' },
      ],
      numbers: [
        { accountId: ACCOUNT_ID, state: 'connected' },
        { accountId: ACCOUNT_ID, state: 'connected' },
        { accountId: ACCOUNT_ID, state: 'failed' },
      ],
    });

    const overview = await new TenantsOverviewService(accounts, phoneNumbers).list();

    expect(overview).toEqual([
      { ...anAccountRecord(), wabas: { total: 2, connected: 1 }, numbers: { total: 3, connected: 2 } },
      { ...anAccountRecord({ id: OTHER_ACCOUNT_ID, name: 'Empty Co' }), wabas: { total: 0, connected: 0 }, numbers: { total: 0, connected: 0 } },
    ]);
  });
});
