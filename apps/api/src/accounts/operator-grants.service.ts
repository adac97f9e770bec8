import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors/domain-errors';
import { AccountsRepository } from './accounts.repository';
import { OperatorGrantsRepository } from './operator-grants.repository';

export interface OperatorView {
  email: string;
  name: string;
  accountId: string;
  accountName: string | null;
  grantedAt: Date;
}

/** Audit actor of grants and revocations: only the command line grants operator rights. */
const OPERATOR_COMMAND = 'operator command';

/**
 * Operator rights (the cross-tenant views) are granted to an existing user, explicitly, by the
 * operator command line; never from an email address, which anyone can sign up with.
 */
@Injectable()
export class OperatorGrantsService {
  constructor(
    private readonly grants: OperatorGrantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditService,
  ) {}

  /** True when the user was not an operator yet. */
  async grantOperator(email: string): Promise<boolean> {
    const user = await this.accounts.findUserByEmail(email);
    if (!user) throw new NotFoundError(`No user has the email ${email.trim().toLowerCase()}: they sign up (or accept an invitation) first`);
    const granted = await this.grants.grant(user.id, user.email);
    if (granted) await this.audit.record({ accountId: user.accountId, name: OPERATOR_COMMAND }, 'operator.granted', user.email);
    return granted;
  }

  /** Applies to the user's next request, without logging them out. True when there was a grant. */
  async revokeOperator(email: string): Promise<boolean> {
    const user = await this.accounts.findUserByEmail(email);
    if (!user) throw new NotFoundError(`No user has the email ${email.trim().toLowerCase()}`);
    const revoked = await this.grants.revoke(user.id);
    if (revoked) await this.audit.record({ accountId: user.accountId, name: OPERATOR_COMMAND }, 'operator.revoked', user.email);
    return revoked;
  }

  async listOperators(): Promise<OperatorView[]> {
    const grants = await this.grants.list();
    const views = await Promise.all(
      grants.map(async (grant) => {
        const user = await this.accounts.findUserById(grant.userId);
        if (!user) return null;
        const account = await this.accounts.findAccount(user.accountId);
        return { email: user.email, name: user.name, accountId: user.accountId, accountName: account?.name ?? null, grantedAt: grant.grantedAt };
      }),
    );
    return views.filter((view): view is OperatorView => view !== null);
  }
}
