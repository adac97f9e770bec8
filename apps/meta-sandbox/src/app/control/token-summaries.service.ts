import { Injectable, NotFoundException } from '@nestjs/common';
import { TOKEN_ERROR_SUBCODES } from '@waba/meta-graph';
import { createHash } from 'node:crypto';
import { SandboxClock } from '../common/sandbox-clock';
import { AccessTokensService } from '../oauth/access-tokens.service';
import { WorldStore } from '../world/world.store';
import { AccessTokenRecord } from '../world/world.types';

/** A token as the demo console shows it: never its value, only a fingerprint and its last 4 characters. */
export interface TokenSummary {
  /** The first 16 hex digits of the value's SHA-256: names the token without revealing it. */
  fingerprint: string;
  lastFour: string;
  type: AccessTokenRecord['type'];
  businessNames: string[];
  wabaIds: string[];
  issuedAt: string;
  expiresAt: string | null;
  state: 'valid' | 'expired' | 'revoked';
  /** The 190 subcode Graph answers for a revoked or expired token. */
  subcode?: number;
  /** One line in words, for the console's token list. */
  label: string;
}

/** Why Meta stops accepting a token, by the 190 subcode it then answers (docs/meta.md §5). */
export const REVOCATION_REASONS: ReadonlyArray<{ subcode: number; words: string }> = [
  { subcode: TOKEN_ERROR_SUBCODES.appNotInstalled, words: 'the business removed the app' },
  { subcode: TOKEN_ERROR_SUBCODES.passwordChanged, words: 'the user changed their password' },
  { subcode: TOKEN_ERROR_SUBCODES.invalidToken, words: 'the session is invalid (logged out)' },
  { subcode: TOKEN_ERROR_SUBCODES.userCheckpointed, words: 'the user is checkpointed by Meta' },
  { subcode: TOKEN_ERROR_SUBCODES.invalidSession, words: 'the session was invalidated' },
];

/** The console's at most this many newest tokens; a benchmark can mint 50 000. */
export const LISTED_TOKENS = 200;

/** Tokens named by fingerprint for the demo console: list them, revoke or expire one, never show a value. */
@Injectable()
export class TokenSummariesService {
  private readonly fingerprints = new Map<string, string>();

  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
    private readonly tokens: AccessTokensService,
  ) {}

  /** The newest tokens first, at most `LISTED_TOKENS`, and how many there are in all. */
  list(): { tokens: TokenSummary[]; total: number } {
    const all = [...this.world.tokens.values()];
    const newest = all.sort((a, b) => b.issuedAtMs - a.issuedAtMs).slice(0, LISTED_TOKENS);
    return { tokens: newest.map((token) => this.summarize(token)), total: all.length };
  }

  revoke(fingerprint: string, subcode: number): TokenSummary {
    return this.summarize(this.tokens.revoke(this.find(fingerprint).value, subcode));
  }

  expire(fingerprint: string): TokenSummary {
    return this.summarize(this.tokens.expire(this.find(fingerprint).value));
  }

  summarize(token: AccessTokenRecord): TokenSummary {
    const businessNames = token.businessIds.map((id) => this.world.businesses.get(id)?.name ?? id);
    const expired = token.expiresAtMs !== null && token.expiresAtMs <= this.clock.nowMs();
    const state = token.invalidatedSubcode !== undefined ? 'revoked' : expired ? 'expired' : 'valid';
    const subcode = state === 'revoked' ? token.invalidatedSubcode : state === 'expired' ? TOKEN_ERROR_SUBCODES.expired : undefined;
    const summary = {
      fingerprint: this.fingerprintOf(token.value),
      lastFour: token.value.slice(-4),
      type: token.type,
      businessNames,
      wabaIds: token.assetScope === 'granted' ? token.wabaIds : [],
      issuedAt: new Date(token.issuedAtMs).toISOString(),
      expiresAt: token.expiresAtMs === null ? null : new Date(token.expiresAtMs).toISOString(),
      state,
      ...(subcode !== undefined && { subcode }),
    } as const;
    return { ...summary, label: this.labelOf(token, summary) };
  }

  private labelOf(token: AccessTokenRecord, summary: Omit<TokenSummary, 'label'>): string {
    const kind = token === this.world.partnerToken ? 'Partner system-user token' : token.type === 'USER' ? 'Business token' : 'System-user token';
    const state =
      summary.state === 'revoked'
        ? `revoked (190/${summary.subcode})`
        : summary.state === 'expired'
          ? `expired on ${day(summary.expiresAt)}`
          : summary.expiresAt
            ? `valid until ${day(summary.expiresAt)}`
            : 'valid, never expires';
    return `${kind} of ${summary.businessNames.join(', ')}, ending …${summary.lastFour} (${summary.fingerprint.slice(0, 8)}): ${state}`;
  }

  private find(fingerprint: string): AccessTokenRecord {
    for (const token of this.world.tokens.values()) {
      if (this.fingerprintOf(token.value) === fingerprint) return token;
    }
    throw new NotFoundException(`No token with fingerprint ${fingerprint}`);
  }

  private fingerprintOf(value: string): string {
    let fingerprint = this.fingerprints.get(value);
    if (!fingerprint) {
      fingerprint = createHash('sha256').update(value).digest('hex').slice(0, 16);
      this.fingerprints.set(value, fingerprint);
    }
    return fingerprint;
  }
}

function day(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '';
}
