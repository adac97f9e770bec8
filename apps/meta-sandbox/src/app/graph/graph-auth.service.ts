import { Inject, Injectable } from '@nestjs/common';
import { appSecretProof, secretsEqual } from '@waba/meta-graph';
import { Request } from 'express';
import { GraphException } from '../common/graph-exception';
import { AccessTokensService } from '../oauth/access-tokens.service';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { WorldStore } from '../world/world.store';
import { AccessTokenRecord } from '../world/world.types';

/** Finds and checks the access token of a Graph request: header, query or form body, like Meta. */
@Injectable()
export class GraphAuthService {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
    private readonly tokens: AccessTokensService,
  ) {}

  /** A valid tenant token, checked against `appsecret_proof`. */
  tenantToken(request: Request): AccessTokenRecord {
    const value = this.requireToken(request);
    const token = this.tokens.authenticate(value);
    const proof = param(request, 'appsecret_proof');
    if (proof === undefined) {
      if (this.world.settings.requireAppSecretProof) {
        throw GraphException.invalidParameter('API calls from the server require an appsecret_proof argument');
      }
    } else if (!secretsEqual(proof, appSecretProof(value, this.options.appSecret))) {
      throw GraphException.invalidParameter('Invalid appsecret_proof provided in the API argument');
    }
    return token;
  }

  /** Checks the app access token `APP_ID|APP_SECRET` that `debug_token` needs. */
  requireAppToken(request: Request): void {
    const value = this.requireToken(request);
    if (!secretsEqual(value, `${this.options.appId}|${this.options.appSecret}`)) {
      throw new GraphException({ code: 190, message: 'Invalid OAuth access token signature.' });
    }
  }

  private requireToken(request: Request): string {
    const header = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const value = header?.[1] ?? param(request, 'access_token');
    if (!value) {
      throw new GraphException({ code: 104, message: 'An access token is required to request this resource.' });
    }
    return value;
  }
}

/** A parameter from the query string or the (JSON or form) body. */
export function param(request: Request, name: string): string | undefined {
  const fromQuery = request.query[name];
  if (typeof fromQuery === 'string') return fromQuery;
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody = body?.[name];
  return typeof fromBody === 'string' ? fromBody : undefined;
}
