import { Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { GatewayFailure, GraphException } from '../common/graph-exception';
import { businessUseCaseUsageHeader } from './business-use-case-limiter.service';

/** Endpoint names used to aim faults; `*` matches every Graph call. */
export const GRAPH_ENDPOINTS = [
  'GET /oauth/access_token',
  'GET /debug_token',
  'GET /me',
  'GET /me/businesses',
  'GET /{business-id}/owned_whatsapp_business_accounts',
  'GET /{business-id}/client_whatsapp_business_accounts',
  'GET /{waba-id}',
  'GET /{waba-id}/phone_numbers',
  'GET /{waba-id}/subscribed_apps',
  'POST /{waba-id}/subscribed_apps',
  'DELETE /{waba-id}/subscribed_apps',
  'GET /{waba-id}/message_templates',
  'GET /{phone-number-id}',
  'POST /{phone-number-id}',
  'POST /{phone-number-id}/register',
  'POST /{phone-number-id}/smb_app_data',
  'POST /{phone-number-id}/deregister',
  'GET /{phone-number-id}/whatsapp_business_profile',
  'POST /{phone-number-id}/whatsapp_business_profile',
  'POST /{app-id}/uploads',
  'POST /upload:{session}',
] as const;

export type GraphEndpoint = (typeof GRAPH_ENDPOINTS)[number];

export interface GraphFault {
  id: number;
  endpoint: GraphEndpoint | '*';
  /** Calls still affected. */
  remaining: number;
  latencyMs?: number;
  error?: {
    code?: number;
    subcode?: number;
    message?: string;
    httpStatus: number;
    /** Minutes put into `X-Business-Use-Case-Usage.estimated_time_to_regain_access`. */
    regainAccessMinutes?: number;
  };
}

/** Scheduled failures and delays: "the next N calls of endpoint X fail with Y / take Z ms". */
@Injectable()
export class GraphFaultsService {
  private faults: GraphFault[] = [];
  private lastId = 0;

  add(fault: Omit<GraphFault, 'id'>): GraphFault {
    const record = { ...fault, id: ++this.lastId };
    this.faults.push(record);
    return record;
  }

  list(): GraphFault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** Applies the first pending fault for the endpoint, if any: delay, then throw its error. */
  async apply(endpoint: GraphEndpoint, wabaId?: string): Promise<void> {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.endpoint === endpoint || f.endpoint === '*'));
    if (!fault) return;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    if (fault.latencyMs) await delay(fault.latencyMs);
    const error = fault.error;
    if (!error) return;
    // Without a code: a gateway failure without Graph's envelope, as a proxy in front of Meta answers.
    if (error.code === undefined) throw new GatewayFailure(error.httpStatus);
    const usage = error.regainAccessMinutes === undefined ? undefined : businessUseCaseUsageHeader(wabaId ?? 'app', 100, error.regainAccessMinutes);
    throw new GraphException({
      code: error.code,
      subcode: error.subcode,
      httpStatus: error.httpStatus,
      message: error.message ?? defaultMessage(error.code),
      headers: usage === undefined ? undefined : { 'X-Business-Use-Case-Usage': usage },
      ...(error.code >= 130000 && { errorData: { messaging_product: 'whatsapp', details: defaultMessage(error.code) } }),
    });
  }
}

function defaultMessage(code: number): string {
  const messages: Record<number, string> = {
    1: 'An unknown error has occurred.',
    2: 'An unexpected error has occurred. Please retry your request later.',
    4: '(#4) Application request limit reached',
    17: '(#17) User request limit reached',
    80007: '(#80007) Rate limit issues: The WhatsApp Business Account has reached its rate limit',
    80008: '(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again.',
    130429: '(#130429) Rate limit hit',
    190: 'Error validating access token: The session is invalid.',
  };
  return messages[code] ?? `(#${code}) Sandbox injected error`;
}
