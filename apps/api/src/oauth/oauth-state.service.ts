import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { TenantContext } from '../common/auth/auth.decorators';
import { sha256Hex } from '../common/crypto/sha256';
import { Clock } from '../common/clock/clock';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { OAuthRepository } from './oauth.repository';

export const STATE_TTL_MS = 10 * 60 * 1000;

/** Issues and checks the redirect flow's `state` (our CSRF defence for the OAuth dialog). */
/** Every refused state reads the same to a person (the catalogue's words); the message says why, for support. */
const STATE_ERROR = { code: 'oauth_state_invalid' } as const;

@Injectable()
export class OAuthStateService {
  constructor(
    private readonly repository: OAuthRepository,
    private readonly attempts: OnboardingAttemptsService,
    private readonly clock: Clock,
  ) {}

  /** A redirect to Meta's dialog begins here, and with it the onboarding attempt the state names. */
  async issue(tenant: TenantContext): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const attemptId = await this.attempts.startQuietly(tenant, 'oauth');
    await this.repository.insertState(tenant.accountId, tenant.userId, sha256Hex(state), new Date(this.clock.now().getTime() + STATE_TTL_MS), attemptId);
    return state;
  }

  /**
   * Uses the state up, or says exactly why it cannot be used; a refused state stays untouched.
   * Answers the onboarding attempt the state began (null for states older than the field).
   */
  async consume(tenant: TenantContext, state: string | undefined): Promise<string | null> {
    if (!state) throw new InvalidRequestError('The OAuth state is missing; start the connection again', STATE_ERROR);
    const stateHash = sha256Hex(state);
    const now = this.clock.now();
    const consumed = await this.repository.consumeState(tenant.accountId, tenant.userId, stateHash, now);
    if (consumed) return consumed.attemptId ? String(consumed.attemptId) : null;
    const found = await this.repository.findState(stateHash);
    if (!found) throw new InvalidRequestError('The OAuth state is not one we issued; start the connection again', STATE_ERROR);
    if (String(found.accountId) !== tenant.accountId || String(found.userId) !== tenant.userId) {
      throw new InvalidRequestError('The OAuth state was issued to another user; start the connection again', STATE_ERROR);
    }
    if (found.usedAt) throw new InvalidRequestError('The OAuth state was already used; start the connection again', STATE_ERROR);
    throw new InvalidRequestError('The OAuth state has expired (10 minutes); start the connection again', STATE_ERROR);
  }
}
