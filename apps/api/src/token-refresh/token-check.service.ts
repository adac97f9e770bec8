import { Injectable } from '@nestjs/common';
import type { ConnectionStatus } from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, type DebugTokenData } from '@waba/meta-graph';
import { sha256Hex } from '../common/crypto/sha256';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainEvents } from '../common/events/domain-events';
import { TokenCipher, tokenBinding } from '../common/crypto/token-cipher';
import { CredentialsService, grantedWabaTargets } from '../credentials/credentials.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { healthOf, nextCheckAfterFailure, nextCheckForValid, shouldExtend } from '../credentials/check-schedule';
import { CredentialChecksService, type CheckResult, type CheckedConnection } from '../credentials/credential-checks.service';

/** What one check found (in a dry run: what it would have done). */
export type CheckOutcome =
  | { kind: 'healthy'; status: Extract<ConnectionStatus, 'active' | 'expiring'> }
  | { kind: 'extended'; expiresAt: Date | null }
  | { kind: 'needs_reauth'; reason: string }
  /**
   * Nothing written: the credential keeps its state. `retryable` for timeouts, 5xx, network and
   * unexpected answers; a stored token that cannot be decrypted will not heal by trying again.
   */
  | { kind: 'failed'; reason: string; retryable: boolean }
  /** Meta's rate limit: back off the WABAs this credential serves for `retryAfterMs`. */
  | { kind: 'rate_limited'; reason: string; retryAfterMs: number };

type Verdict = { kind: 'valid'; debug: DebugTokenData } | { kind: 'dead'; reason: string } | Extract<CheckOutcome, { kind: 'failed' | 'rate_limited' }>;

const EXTENDABLE_TYPES = new Set(['USER', 'SYSTEM_USER']);

/**
 * Checks one credential with Meta (docs/meta.md §5, §11): `debug_token`, then `fb_exchange_token`
 * for a valid token near its expiry. Only a credential error — 190 / 102, `is_valid: false`, or a
 * grant that no longer covers a connected WABA — means "reconnect"; timeouts, 5xx and rate limits
 * leave the credential as it was: the caller retries, and records the failure once it gives up
 * (`recordFailure`).
 */
@Injectable()
export class TokenCheckService {
  constructor(
    private readonly repository: CredentialChecksService,
    private readonly credentials: CredentialsService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly graph: MetaGraphClient,
    private readonly cipher: TokenCipher,
    private readonly events: RealtimePublisher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** Checks a credential its check job holds; a dry run writes nothing and exchanges nothing. */
  async check(connection: CheckedConnection, options: { dryRun: boolean }): Promise<CheckOutcome> {
    let token: string;
    try {
      token = this.cipher.decrypt(connection.encryptedToken, tokenBinding(connection.accountId, connection.tokenFingerprint));
    } catch (error) {
      return { kind: 'failed', reason: `stored token cannot be decrypted: ${(error as Error).message}`, retryable: false };
    }
    const verdict = await this.verdictOf(token);
    if (verdict.kind === 'failed' || verdict.kind === 'rate_limited') return verdict;
    if (verdict.kind === 'dead') return this.markNeedsReauth(connection, verdict.reason, options);

    const debug = verdict.debug;
    const targets = grantedWabaTargets(debug);
    // Without `target_ids` (docs/meta.md §11) the grant cannot be compared; keep what we knew.
    // The WABAs connected with a credential are among those it was granted; only when one of those
    // left the grant can a connected one be lost (a query per credential is what a sweep cannot afford).
    if (targets && connection.grantedWabaIds.some((id) => !targets.includes(id))) {
      const lost = (await this.phoneNumbers.forTenant(connection.accountId).wabaIdsServedBy(connection.id)).filter((id) => !targets.includes(id));
      if (lost.length) return this.markNeedsReauth(connection, `Meta no longer grants access to WhatsApp Business Account ${lost.join(', ')}`, options);
    }

    const now = this.clock.now();
    const expiresAt = debug.expires_at ? new Date(debug.expires_at * 1000) : null;
    const facts: CheckResult = {
      tokenType: debug.type ?? connection.tokenType,
      scopes: debug.scopes ?? [],
      grantedWabaIds: targets ?? connection.grantedWabaIds,
      expiresAt,
      dataAccessExpiresAt: debug.data_access_expires_at ? new Date(debug.data_access_expires_at * 1000) : null,
      lastCheckedAt: now,
      checkFailures: 0,
      lastCheckFailure: null,
      nextCheckAt: nextCheckForValid(expiresAt, now),
    };

    if (shouldExtend(expiresAt, now) && EXTENDABLE_TYPES.has(facts.tokenType ?? '')) {
      if (options.dryRun) return { kind: 'extended', expiresAt };
      const extended = await this.extend(connection, token, facts);
      if (extended) return extended;
    }
    const status = healthOf(expiresAt, now);
    if (options.dryRun) return { kind: 'healthy', status };
    return this.save(connection, { ...facts, status, lastError: null }, { kind: 'healthy', status });
  }

  /** `debug_token` with the app token; a refusal of the call itself is confirmed with the tenant token. */
  private async verdictOf(token: string): Promise<Verdict> {
    try {
      const debug = await this.graph.debugToken(token);
      if (!debug.is_valid) return { kind: 'dead', reason: `Meta reports the token invalid: ${redact(debug.error?.message ?? 'no reason given', token)}` };
      return { kind: 'valid', debug };
    } catch (error) {
      const verdict = this.classify(error);
      if (verdict.kind !== 'dead') return verdict;
      // A 190 on debug_token may be about our app token (wrong secret): that must not send every
      // tenant to "reconnect". Only the tenant's own token being refused proves its credential dead.
      try {
        await this.graph.getMe(token);
        return { kind: 'failed', reason: `debug_token was refused, but the token itself works: ${verdict.reason}`, retryable: true };
      } catch (confirm) {
        return this.classify(confirm);
      }
    }
  }

  /** Exchanges a valid token that nears its end; null when Meta would not extend it (it stays, marked by health). */
  private async extend(connection: CheckedConnection, token: string, facts: CheckResult): Promise<CheckOutcome | null> {
    let exchanged: { access_token: string; expires_in?: number };
    try {
      exchanged = await this.graph.exchangeForLongLivedToken(token, { expiresIn60Days: facts.tokenType === 'SYSTEM_USER' });
    } catch (error) {
      const verdict = this.classify(error);
      if (verdict.kind === 'dead') return this.markNeedsReauth(connection, verdict.reason, { dryRun: false });
      if (verdict.kind === 'rate_limited') return verdict;
      // Meta may refuse to extend some token kinds (60-day business tokens: UNCONFIRMED, docs/meta.md §5): the
      // token keeps working until its end and is checked more often; the tenant sees "expiring".
      return null;
    }
    const now = this.clock.now();
    const expiresAt = exchanged.expires_in ? new Date(now.getTime() + exchanged.expires_in * 1000) : null;
    const outcome = await this.save(
      connection,
      {
        ...facts,
        encryptedToken: this.cipher.encrypt(exchanged.access_token, tokenBinding(connection.accountId, sha256Hex(exchanged.access_token))),
        tokenFingerprint: sha256Hex(exchanged.access_token),
        expiresAt,
        status: healthOf(expiresAt, now),
        lastError: null,
        nextCheckAt: nextCheckForValid(expiresAt, now),
      },
      { kind: 'extended', expiresAt },
    );
    await this.audit.record(
      { accountId: connection.accountId, name: 'Credential check' },
      'connection.extended',
      `Meta connection ${connection.id}`,
      expiresAt ? `expires ${expiresAt.toISOString()}` : 'never expires',
    );
    return outcome;
  }

  /** A check that will not be tried again: one more failure in a row, checked again later (check-schedule.ts). */
  async recordFailure(connection: CheckedConnection, reason: string): Promise<void> {
    await this.repository.recordFailure(connection.id, reason, nextCheckAfterFailure(connection.checkFailures + 1, this.clock.now()));
  }

  private async markNeedsReauth(connection: CheckedConnection, reason: string, options: { dryRun: boolean }): Promise<CheckOutcome> {
    const outcome: CheckOutcome = { kind: 'needs_reauth', reason };
    if (options.dryRun) return outcome;
    await this.save(connection, { status: 'needs_reauth', lastError: reason, lastCheckedAt: this.clock.now(), checkFailures: 0, lastCheckFailure: null, nextCheckAt: null }, outcome);
    await this.audit.record({ accountId: connection.accountId, name: 'Credential check' }, 'connection.needs_reauth', `Meta connection ${connection.id}`, reason);
    // Its numbers cannot send: the active number moves (phone-numbers module), and the tenant is told.
    this.domainEvents.emit('connection.unusable', { accountId: connection.accountId, connectionId: connection.id });
    return outcome;
  }

  /** Writes the result and tells the tenant when what they see changed (status, expiry, reason). */
  private async save(connection: CheckedConnection, result: CheckResult, outcome: CheckOutcome): Promise<CheckOutcome> {
    await this.repository.recordCheck(connection.id, result);
    const changed = <K extends 'status' | 'lastError'>(key: K) => result[key] !== undefined && result[key] !== connection[key];
    const expiryChanged = result.expiresAt !== undefined && result.expiresAt?.getTime() !== connection.expiresAt?.getTime();
    const visibleChange = changed('status') || changed('lastError') || expiryChanged;
    if (visibleChange) {
      const view = (await this.credentials.views(connection.accountId, [connection.id])).get(connection.id);
      if (view) this.events.publish(connection.accountId, { type: 'connection.updated', connection: view });
    }
    return outcome;
  }

  private classify(error: unknown): Verdict {
    if (!(error instanceof MetaGraphError)) return { kind: 'failed', reason: `unexpected error: ${(error as Error)?.message ?? String(error)}`, retryable: true };
    switch (error.kind) {
      case 'credential':
        return { kind: 'dead', reason: error.message };
      case 'rate_limited':
        return { kind: 'rate_limited', reason: error.message, retryAfterMs: error.retryAfterMs ?? 60_000 };
      default:
        return { kind: 'failed', reason: error.message, retryable: true };
    }
  }
}

function redact(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join('[redacted]') : text;
}
