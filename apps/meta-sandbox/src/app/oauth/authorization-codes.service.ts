import { Injectable } from '@nestjs/common';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { newAuthorizationCode } from '../common/secure-random';
import { WorldStore } from '../world/world.store';
import { CodeFlow, Grant } from '../world/world.types';

// Embedded Signup codes live 30 seconds (docs/meta.md §1.3); redirect-dialog codes 10 minutes.
export const CODE_LIFETIME_MS: Record<CodeFlow, number> = { sdk: 30_000, redirect: 10 * 60_000 };

const REDIRECT_MISMATCH = 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used ' + 'in the OAuth dialog request';

/** Authorization codes: single use, short-lived, bound (or not) to a redirect_uri. */
@Injectable()
export class AuthorizationCodesService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
  ) {}

  issue(grant: Grant, flow: CodeFlow, redirectUri?: string): string {
    const value = newAuthorizationCode();
    this.world.codes.set(value, {
      value,
      flow,
      redirectUri,
      expiresAtMs: this.clock.nowMs() + CODE_LIFETIME_MS[flow],
      used: false,
      grant,
    });
    return value;
  }

  /** The grant behind a code; any exchange attempt spends it, so a code can never be tried twice. */
  redeem(value: string, redirectUri: string | undefined): Grant {
    const code = this.world.codes.get(value);
    // Subcodes 36007-36009 are what Meta answers for these cases in practice.
    if (!code) throw GraphException.invalidParameter('Invalid verification code format.');
    if (code.used) throw GraphException.invalidParameter('This authorization code has been used.', 36009);
    code.used = true;
    if (code.expiresAtMs <= this.clock.nowMs()) {
      throw GraphException.invalidParameter('This authorization code has expired.', 36007);
    }
    // SDK codes carry no redirect_uri, so sending one fails; redirect codes need the exact one.
    if ((redirectUri ?? undefined) !== code.redirectUri) {
      throw GraphException.invalidParameter(REDIRECT_MISMATCH, 36008);
    }
    return code.grant;
  }
}
