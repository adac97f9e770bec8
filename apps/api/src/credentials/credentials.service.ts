import { Injectable } from '@nestjs/common';
import type { ConnectionSource, ConnectionView } from '@waba/contracts';
import type { DebugTokenData } from '@waba/meta-graph';
import { sha256Hex } from '../common/crypto/sha256';
import { Clock } from '../common/clock/clock';
import { TokenCipher, tokenBinding } from '../common/crypto/token-cipher';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { nextCheckAfterGrant } from './check-schedule';
import { CredentialsRepository, type ConnectionRecord } from './credentials.repository';

export type { ConnectionRecord } from './credentials.repository';

const WABA_MANAGEMENT_SCOPE = 'whatsapp_business_management';

/** Stores Meta tokens encrypted and hands them out only to server-side code. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly repository: CredentialsRepository,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
  ) {}

  async saveGrant(actor: { accountId: string; userId?: string }, token: string, source: ConnectionSource, debug: DebugTokenData, grantedWabaIds: string[]): Promise<ConnectionRecord> {
    const tokenFingerprint = sha256Hex(token);
    return this.repository.upsertGrant(actor.accountId, {
      tokenFingerprint,
      encryptedToken: this.cipher.encrypt(token, tokenBinding(actor.accountId, tokenFingerprint)),
      source,
      tokenType: debug.type ?? null,
      scopes: debug.scopes ?? [],
      grantedWabaIds,
      metaUserId: debug.user_id ?? null,
      expiresAt: fromUnix(debug.expires_at),
      dataAccessExpiresAt: fromUnix(debug.data_access_expires_at),
      createdBy: actor.userId ?? null,
      checkedAt: this.clock.now(),
      nextCheckAt: nextCheckAfterGrant(fromUnix(debug.expires_at), this.clock.now()),
    });
  }

  /** For the key-rotation command: every stored token, across tenants. */
  storedTokens(): AsyncGenerator<{ id: string; accountId: string; tokenFingerprint: string; encryptedToken: string }> {
    return this.repository.allEncryptedTokens();
  }

  /** Key rotation: false when the token changed since it was read (the next run takes it). */
  replaceStoredToken(id: string, previous: string, next: string): Promise<boolean> {
    return this.repository.replaceEncryptedToken(id, previous, next);
  }

  async tokenOf(accountId: string, connectionId: string): Promise<string> {
    const connection = await this.repository.find(accountId, connectionId);
    if (!connection) throw new NotFoundError('The Meta connection no longer exists; connect WhatsApp again');
    try {
      return this.cipher.decrypt(connection.encryptedToken, tokenBinding(accountId, connection.tokenFingerprint));
    } catch {
      // Altered, copied from another record, or under a key this instance lacks: never use it.
      throw new ConflictError('The stored Meta credential cannot be read (it was altered, belongs to another record, or its encryption key is missing); connect WhatsApp again to replace it');
    }
  }

  /** The stored credential's facts (never its token), or null. */
  find(accountId: string, connectionId: string): Promise<ConnectionRecord | null> {
    return this.repository.find(accountId, connectionId);
  }

  async views(accountId: string, connectionIds: string[]): Promise<Map<string, ConnectionView>> {
    const records = await this.repository.findMany(accountId, [...new Set(connectionIds)]);
    return new Map(records.map((r) => [r.id, toConnectionView(r)]));
  }

  markNeedsReauth(accountId: string, connectionId: string, reason: string): Promise<void> {
    return this.repository.setStatus(accountId, connectionId, 'needs_reauth', reason);
  }

  markRevoked(accountId: string, connectionId: string, reason: string): Promise<void> {
    return this.repository.setStatus(accountId, connectionId, 'revoked', reason);
  }
}

/** WABA ids `debug_token` lists for WhatsApp management, newest first; undefined when Meta left them out. */
export function grantedWabaTargets(debug: DebugTokenData): string[] | undefined {
  return debug.granular_scopes?.find((s) => s.scope === WABA_MANAGEMENT_SCOPE)?.target_ids;
}

export function hasWabaManagementScope(debug: DebugTokenData): boolean {
  return (debug.scopes ?? []).includes(WABA_MANAGEMENT_SCOPE) || grantedWabaTargets(debug) !== undefined;
}

function fromUnix(seconds: number | undefined): Date | null {
  return seconds ? new Date(seconds * 1000) : null;
}

export function toConnectionView(record: ConnectionRecord): ConnectionView {
  return {
    id: record.id,
    source: record.source,
    status: record.status,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    lastCheckedAt: record.lastCheckedAt?.toISOString() ?? null,
    lastError: record.lastError,
  };
}
