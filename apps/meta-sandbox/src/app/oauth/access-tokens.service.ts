import { Injectable, NotFoundException } from '@nestjs/common';
import { DebugTokenData, GranularScope, TOKEN_ERROR_SUBCODES } from '@waba/meta-graph';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { newAccessToken } from '../common/secure-random';
import { WorldStore } from '../world/world.store';
import { AccessTokenRecord, Grant } from '../world/world.types';

const DAY_MS = 24 * 3600 * 1000;
const LONG_LIVED_SECONDS = 60 * 24 * 3600;

/** Issues, checks and describes access tokens the way Meta does (docs/meta.md §3.1, §5). */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
  ) {}

  /** The business (BISU) token a consent's code is exchanged for. */
  issueForGrant(grant: Grant): AccessTokenRecord {
    const lifetime = this.world.settings.businessTokenExpiresInSeconds;
    return this.store({
      type: 'USER',
      userId: this.world.nextId('5'),
      userName: 'Sandbox business integration system user',
      clientBusinessId: grant.businessId,
      businessIds: [grant.businessId],
      assetScope: 'granted',
      wabaIds: grant.wabaIds,
      scopes: grant.scopes,
      expiresAtMs: lifetime === null ? null : this.clock.nowMs() + lifetime * 1000,
    });
  }

  /** A token made through the control API, e.g. for the manual-add path. */
  mint(input: { businessId: string; wabaIds?: string[]; scopes: string[]; expiresInSeconds: number | null; type: AccessTokenRecord['type']; appId?: string }): AccessTokenRecord {
    return this.store({
      ...(input.appId ? { appId: input.appId } : {}),
      type: input.type,
      userId: this.world.nextId('5'),
      userName: 'Sandbox system user',
      clientBusinessId: input.businessId,
      businessIds: [input.businessId],
      assetScope: input.wabaIds ? 'granted' : 'business',
      wabaIds: input.wabaIds ?? [],
      scopes: input.scopes,
      expiresAtMs: input.expiresInSeconds === null ? null : this.clock.nowMs() + input.expiresInSeconds * 1000,
    });
  }

  /** `fb_exchange_token`: a new 60-day token for a still-valid one; the old one keeps working. */
  extend(value: string): AccessTokenRecord {
    const current = this.authenticate(value);
    return this.store({ ...current, expiresAtMs: this.clock.nowMs() + LONG_LIVED_SECONDS * 1000 });
  }

  /** The valid token record behind `value`, or Meta's 190 error. */
  authenticate(value: string): AccessTokenRecord {
    const token = this.world.tokens.get(value);
    if (!token) {
      throw new GraphException({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    const problem = this.problemOf(token);
    if (problem) throw new GraphException({ code: 190, ...problem });
    return token;
  }

  expire(value: string): AccessTokenRecord {
    const token = this.require(value);
    token.expiresAtMs = this.clock.nowMs() - 1000;
    return token;
  }

  revoke(value: string, subcode: number): AccessTokenRecord {
    const token = this.require(value);
    token.invalidatedSubcode = subcode;
    return token;
  }

  countDebugCall(value: string): void {
    this.world.debugTokenCalls.set(value, (this.world.debugTokenCalls.get(value) ?? 0) + 1);
  }

  /** Changes which WABAs a token reaches, as a client editing the app's assets in Business Settings. */
  setGrantedWabas(value: string, wabaIds: string[]): AccessTokenRecord {
    const token = this.require(value);
    token.assetScope = 'granted';
    token.wabaIds = wabaIds;
    return token;
  }

  /** `debug_token` data, valid or not; unknown tokens answer `is_valid: false` with an error inside. */
  describe(value: string): DebugTokenData {
    const token = this.world.tokens.get(value);
    if (!token) {
      return { is_valid: false, scopes: [], error: { code: 190, message: 'Invalid OAuth access token.' } };
    }
    const problem = this.problemOf(token);
    return {
      app_id: token.appId ?? this.world.app.id,
      type: token.type,
      application: token.appId ? 'Another app' : this.world.app.name,
      data_access_expires_at: Math.floor(token.dataAccessExpiresAtMs / 1000),
      expires_at: token.expiresAtMs === null ? 0 : Math.floor(token.expiresAtMs / 1000),
      is_valid: !problem,
      issued_at: Math.floor(token.issuedAtMs / 1000),
      scopes: token.scopes,
      granular_scopes: this.granularScopes(token),
      user_id: token.userId,
      ...(problem && { error: { code: 190, message: problem.message, subcode: problem.subcode } }),
    };
  }

  private granularScopes(token: AccessTokenRecord): GranularScope[] {
    const wabaTargets = token.assetScope === 'granted' ? token.wabaIds : this.businessWabaIds(token);
    const targeted = (scope: string): GranularScope => ({ scope, target_ids: wabaTargets });
    if (this.world.settings.debugTokenShape === 'without_waba_targets') {
      return [{ scope: 'business_management', target_ids: token.businessIds }, { scope: 'whatsapp_business_manage_events' }];
    }
    return token.scopes.filter((scope) => scope !== 'public_profile').map((scope) => (scope === 'business_management' ? { scope, target_ids: token.businessIds } : targeted(scope)));
  }

  private businessWabaIds(token: AccessTokenRecord): string[] {
    return [...this.world.wabas.values()]
      .filter((waba) => token.businessIds.some((id) => waba.ownerBusinessId === id || waba.sharedWithBusinessIds.includes(id)))
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .map((waba) => waba.id);
  }

  private problemOf(token: AccessTokenRecord): { subcode: number; message: string } | undefined {
    if (token.invalidatedSubcode !== undefined) {
      return { subcode: token.invalidatedSubcode, message: revocationMessage(token.invalidatedSubcode, this.world.app.id) };
    }
    const now = this.clock.nowMs();
    if (token.expiresAtMs !== null && token.expiresAtMs <= now) {
      return {
        subcode: TOKEN_ERROR_SUBCODES.expired,
        message: `Error validating access token: Session has expired on ${new Date(token.expiresAtMs).toUTCString()}. ` + `The current time is ${new Date(now).toUTCString()}.`,
      };
    }
    return undefined;
  }

  /** For the control API: an unknown token is a 404 there, not a Graph error. */
  private require(value: string): AccessTokenRecord {
    const token = this.world.tokens.get(value);
    if (!token) throw new NotFoundException('No such token');
    return token;
  }

  private store(token: Omit<AccessTokenRecord, 'value' | 'issuedAtMs' | 'dataAccessExpiresAtMs' | 'invalidatedSubcode'>): AccessTokenRecord {
    const now = this.clock.nowMs();
    const record: AccessTokenRecord = {
      ...token,
      value: newAccessToken(),
      issuedAtMs: now,
      dataAccessExpiresAtMs: now + 90 * DAY_MS,
    };
    this.world.tokens.set(record.value, record);
    return record;
  }
}

function revocationMessage(subcode: number, appId: string): string {
  switch (subcode) {
    case TOKEN_ERROR_SUBCODES.appNotInstalled:
      return `Error validating access token: The user has not authorized application ${appId}.`;
    case TOKEN_ERROR_SUBCODES.passwordChanged:
      return 'Error validating access token: The session has been invalidated because the user changed their ' + 'password or Facebook has changed the session for security reasons.';
    default:
      return 'Error validating access token: The session is invalid.';
  }
}
