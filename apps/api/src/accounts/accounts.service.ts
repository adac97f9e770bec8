import { Injectable } from '@nestjs/common';
import { AccountsRepository, type AccountRecord, type UserRecord } from './accounts.repository';

export type { AccountRecord, UserRecord } from './accounts.repository';

/** Tenants and their users as the other modules read them (names for links, the operator's list). */
@Injectable()
export class AccountsService {
  constructor(private readonly repository: AccountsRepository) {}

  /** The tenant, or null once it is gone. */
  account(accountId: string): Promise<AccountRecord | null> {
    return this.repository.findAccount(accountId);
  }

  /** A user of that tenant only: null for another tenant's user. */
  member(accountId: string, userId: string): Promise<UserRecord | null> {
    return this.repository.findUser(accountId, userId);
  }

  /** Every tenant, oldest first (the operator command's `tenants list`). */
  allAccounts(): Promise<AccountRecord[]> {
    return this.repository.listAccounts();
  }
}
