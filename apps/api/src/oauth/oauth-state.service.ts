import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { TenantContext } from '../common/auth/auth.decorators';
import { sha256Hex } from '../common/crypto/sha256';
import { Clock } from '../common/clock/clock';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { OAuthRepository } from './oauth.repository';

export const STATE_TTL_MS = 10 * 60 * 1000;

/** Issues and checks the redirect flow's `state` (our CSRF defence for the OAuth dialog). */
/** Every refused state reads the same to a person (the catalogue's words); the message says why, for support. */
const STATE_ERROR = { code: 'oauth_state_invalid' } as const;

@Injectable()
export class OAuthStateService {
  constructor(
    private readonly repository: OAuthRepository,
    private readonly clock: Clock,
  ) {}

  async issue(tenant: TenantContext): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    await this.repository.insertState(tenant.accountId, tenant.userId, sha256Hex(state), new Date(this.clock.now().getTime() + STATE_TTL_MS));
    return state;
  }

  /** Uses the state up, or says exactly why it cannot be used; a refused state stays untouched. */
  async consume(tenant: TenantContext, state: string | undefined): Promise<void> {
    if (!state) throw new InvalidRequestError('The OAuth state is missing; start the connection again', STATE_ERROR);
    const stateHash = sha256Hex(state);
    const now = this.clock.now();
    if (await this.repository.consumeState(tenant.accountId, tenant.userId, stateHash, now)) return;
    const found = await this.repository.findState(stateHash);
    if (!found) throw new InvalidRequestError('The OAuth state is not one we issued; start the connection again', STATE_ERROR);
    if (String(found.accountId) !== tenant.accountId || String(found.userId) !== tenant.userId) {
      throw new InvalidRequestError('The OAuth state was issued to another user; start the connection again', STATE_ERROR);
    }
    if (found.usedAt) throw new InvalidRequestError('The OAuth state was already used; start the connection again', STATE_ERROR);
    throw new InvalidRequestError('The OAuth state has expired (10 minutes); start the connection again', STATE_ERROR);
  }
}
