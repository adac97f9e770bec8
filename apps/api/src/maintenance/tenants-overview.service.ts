import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';

export interface TenantOverview {
  id: string;
  name: string;
  createdAt: Date;
  wabas: { total: number; connected: number };
  numbers: { total: number; connected: number };
}

/** Every tenant with how many WABAs and numbers it holds and how many of them are connected. */
@Injectable()
export class TenantsOverviewService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly phoneNumbers: PhoneNumbersService,
  ) {}

  async list(): Promise<TenantOverview[]> {
    const [accounts, owned] = await Promise.all([this.accounts.allAccounts(), this.phoneNumbers.ownersAndStates()]);
    const countOf = (items: Array<{ accountId: string; state: string }>, accountId: string) => {
      const mine = items.filter((item) => item.accountId === accountId);
      return { total: mine.length, connected: mine.filter((item) => item.state === 'connected').length };
    };
    return accounts.map((account) => ({ ...account, wabas: countOf(owned.wabas, account.id), numbers: countOf(owned.numbers, account.id) }));
  }
}
