import { Injectable, Logger } from '@nestjs/common';
import { MetaGraphClient, MetaGraphError, type DebugTokenData, type Waba } from '@waba/meta-graph';
import { ForbiddenError, InvalidRequestError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { grantedWabaTargets, hasWabaManagementScope } from '../credentials/credentials.service';

export interface Discovery {
  debug: DebugTokenData;
  /** Granted WABAs with their numbers (field expansion), newest grant first. */
  wabas: Waba[];
}

/**
 * Finds what a token was granted. `granular_scopes` target ids are the truth when present; when
 * Meta leaves them out (docs/meta.md §11) a WABA is trusted only after the token itself can read
 * it. Ids from the browser are hints, never proof.
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger(DiscoveryService.name);

  constructor(
    private readonly graph: MetaGraphClient,
    private readonly config: ApiConfig,
  ) {}

  async discover(token: string, hintedWabaIds: string[] = []): Promise<Discovery> {
    // The WABAs the browser named are read while debug_token runs (one round trip fewer); a read
    // is used only for a WABA the checks below then find granted.
    const prefetched = new Map(hintedWabaIds.map((id) => [id, settle(this.graph.getWaba(token, id))]));
    const readWaba = (id: string): Promise<Waba> => prefetched.get(id)?.then(unsettle) ?? this.graph.getWaba(token, id);
    const debug = await this.graph.debugToken(token);
    if (!debug.is_valid)
      throw new InvalidRequestError('Meta says this access token is not valid', {
        code: 'meta_token_invalid',
        support: debug.error ? { metaCode: debug.error.code, ...(debug.error.subcode ? { metaSubcode: debug.error.subcode } : {}) } : {},
      });
    // debug_token answers for any app's token; one issued to another app cannot be used (nor renewed) by ours.
    if (debug.app_id !== this.config.META_APP_ID) {
      throw new InvalidRequestError('This access token belongs to another Meta app, not to WABA Connect: create a system-user token for our app, or connect through Meta instead', {
        code: 'meta_token_other_app',
      });
    }
    if (!hasWabaManagementScope(debug)) {
      throw new ForbiddenError('The permission whatsapp_business_management was not granted; connect again and allow it', { code: 'meta_permission_missing' });
    }

    const targets = grantedWabaTargets(debug);
    if (targets) {
      const foreign = hintedWabaIds.filter((id) => !targets.includes(id));
      if (foreign.length) throw new ForbiddenError(`WhatsApp Business Account ${foreign.join(', ')} was not granted to us by Meta`);
      const wabas = await Promise.all(targets.map(readWaba));
      return { debug, wabas };
    }

    const candidates = [...new Set([...hintedWabaIds, ...(await this.wabaIdsVisibleTo(token))])];
    const readable = await Promise.all(candidates.map((id) => readWaba(id).catch((error: unknown) => this.ignorePermission(error, null))));
    return { debug, wabas: readable.filter((w): w is Waba => w !== null) };
  }

  /** WABAs the token's business owns or was shared, via `client_business_id` and `/me/businesses`. */
  private async wabaIdsVisibleTo(token: string): Promise<string[]> {
    const me = await this.graph.getMe(token);
    const businesses = new Set<string>(me.client_business_id ? [me.client_business_id] : []);
    const listed = await this.graph.listBusinesses(token).catch((error: unknown) => this.ignorePermission(error, { data: [] }));
    for (const business of listed.data) businesses.add(business.id);
    const lists = await Promise.all(
      [...businesses].flatMap((id) => [
        this.graph.listOwnedWabas(token, id).catch((error: unknown) => this.ignorePermission(error, { data: [] })),
        this.graph.listClientWabas(token, id).catch((error: unknown) => this.ignorePermission(error, { data: [] })),
      ]),
    );
    return lists.flatMap((list) => list.data.map((w) => w.id));
  }

  /** A permission or unknown-object error means "not granted"; anything else is a real failure. */
  private ignorePermission<T>(error: unknown, fallback: T): T {
    if (error instanceof MetaGraphError && (error.kind === 'permission' || error.kind === 'invalid')) {
      this.logger.debug(`Not granted: ${error.message}`);
      return fallback;
    }
    throw error;
  }
}

type Settled<T> = { value: T } | { error: unknown };

/** A promise that never rejects, so a read started early cannot go unhandled if never used. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function unsettle<T>(settled: Settled<T>): T {
  if ('error' in settled) throw settled.error;
  return settled.value;
}
