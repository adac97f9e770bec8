import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from '@waba/contracts';
import type { Request } from 'express';

/** Who is calling: set by the global SessionGuard on every non-public route. */
export interface TenantContext {
  accountId: string;
  userId: string;
  role: UserRole;
  sessionId: string;
  /** Operators (granted by the operator command, read on every request) also see cross-tenant webhook problems. */
  operator: boolean;
  /** Who the user is, for the audit log (null for sessions older than the field). */
  userName?: string | null;
}

export type AuthenticatedRequest = Request & { tenant?: TenantContext };

export const IS_PUBLIC = 'waba:isPublic';
export const REQUIRED_ROLES = 'waba:requiredRoles';
export const SKIP_CSRF = 'waba:skipCsrf';
export const OPERATOR_ONLY = 'waba:operatorOnly';

/** Routes are private by default; this opens one to anonymous callers. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to the given roles of the caller's tenant. */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** For the people who run WABA Connect, not for tenants. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ONLY, true);

/** For machine callers that authenticate otherwise (Meta's signed webhooks). */
export const SkipCsrf = () => SetMetadata(SKIP_CSRF, true);

/** The caller's tenant; the only way handlers learn which account they act for. */
export const CurrentTenant = createParamDecorator((_: unknown, context: ExecutionContext): TenantContext => {
  const tenant = context.switchToHttp().getRequest<AuthenticatedRequest>().tenant;
  if (!tenant) throw new Error('CurrentTenant used on a public route');
  return tenant;
});
