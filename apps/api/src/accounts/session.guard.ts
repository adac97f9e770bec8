import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@waba/contracts';
import { IS_PUBLIC, OPERATOR_ONLY, REQUIRED_ROLES, SKIP_CSRF, type AuthenticatedRequest } from '../common/auth/auth.decorators';
import { CSRF_HEADER, isUnsafeMethod, sameSecret } from '../common/auth/csrf';
import { sha256Hex } from '../common/crypto/sha256';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from '../common/auth/session-cookie';

/**
 * Deny by default: every route needs a live session unless marked @Public(). Sets
 * `request.tenant`, the one source of the caller's account for every tenant-owned query.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = request.cookies?.[SESSION_COOKIE] as string | undefined;
    const session = token ? await this.auth.resolveSession(token) : null;
    if (!session) throw new UnauthorizedError('You are not signed in');

    const skipCsrf = this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, targets);
    if (isUnsafeMethod(request) && !skipCsrf && !sameSecret(sha256Hex(request.get(CSRF_HEADER) ?? ''), session.csrfHash)) {
      throw new ForbiddenError('The CSRF token does not belong to this session; reload the page');
    }

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(session.role)) throw new ForbiddenError(`Only ${roles.join(' or ')} users may do this`);

    if (this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets) && !session.operator) {
      throw new ForbiddenError('Only operators may see this');
    }

    request.tenant = { accountId: session.accountId, userId: session.userId, userName: session.userName, role: session.role, sessionId: session.sessionId, operator: session.operator };
    return true;
  }
}
