import { Injectable } from '@nestjs/common';
import type { AuditEntryView } from '@waba/contracts';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { AuditRepository } from './audit.repository';

/** Actor of an audit entry: a signed-in user, or the system acting for a tenant. */
export type AuditActor = Pick<TenantContext, 'accountId'> & Partial<Pick<TenantContext, 'userId' | 'userName'>> & { name?: string };

/** What acts for a tenant when no person does; the audit log names it as the actor. */
export const SYSTEM_ACTORS = {
  metaWebhook: 'Meta webhook',
  scheduledCheck: 'Scheduled check',
  operatorCommand: 'Operator command',
} as const;

/** The system acting for one tenant, as an audit actor. */
export function systemActor(accountId: string, name: (typeof SYSTEM_ACTORS)[keyof typeof SYSTEM_ACTORS]): AuditActor {
  return { accountId, name };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(actor: AuditActor, action: string, target: string, details?: string): Promise<void> {
    await this.repository.insert(actor.accountId, {
      userId: actor.userId ?? null,
      actorName: actor.name ?? actor.userName ?? (actor.userId ? null : 'system'),
      action,
      target,
      details: details ?? null,
      at: this.clock.now(),
    });
  }

  list(tenant: TenantContext, limit = 100, offset = 0): Promise<AuditEntryView[]> {
    if (offset < 0 || offset > 100_000) throw new InvalidRequestError('offset must be between 0 and 100000');
    return this.repository.list(tenant.accountId, Math.min(Math.max(limit, 1), 500), offset);
  }
}
