// The one way our code talks to Meta's Graph API (or the sandbox: only the base URLs differ).
// Tenant tokens travel in the Authorization header with an `appsecret_proof`; failures become
// `MetaGraphError`s classified by code; only `temporary` failures are retried, with a bound.
import { expandFields, FieldSpec } from './field-expansion';
import { classifyGraphError, GraphErrorClass, GraphErrorKind, MetaGraphError } from './graph-errors';
import {
  AccessTokenResult,
  BusinessSummary,
  CallbackOverride,
  DebugTokenData,
  GraphErrorEnvelope,
  GraphList,
  GraphSuccess,
  MeResult,
  PhoneNumber,
  SmbAppDataResult,
  SmbSyncType,
  SubscribedApp,
  Waba,
  WabaSummary,
} from './graph-types';
import { appSecretProof } from './signatures';
import { HEALTH_PHONE_NUMBER_FIELDS, WABA_HEALTH_FIELDS, type AppSubscription, type PhoneNumberWithHealth, type WabaHealthRead } from './health-status';
import { BUSINESS_PROFILE_FIELDS, ProfilePhotoType, UploadedFileHandle, UploadSession, WhatsAppBusinessProfile, WhatsAppBusinessProfileUpdate } from './business-profile';
import { MESSAGE_TEMPLATE_FIELDS, type MessageTemplate, type MessageTemplateFilters } from './message-templates';
import { PHONE_NUMBER_FIELDS } from './phone-numbers';

/** The current version per docs/meta.md §0 (English "Platform Versioning" page). */
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

export interface MetaGraphConfig {
  /** `https://graph.facebook.com` or the sandbox, e.g. `http://localhost:4100`. */
  graphBaseUrl: string;
  /** `https://www.facebook.com` or the sandbox. */
  dialogBaseUrl: string;
  apiVersion: string;
  appId: string;
  appSecret: string;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for `temporary` failures; default 2. */
  maxRetries?: number;
}

/** Side effects the client uses, replaceable in tests. */
export interface MetaGraphClientDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); drives backoff jitter. */
  random?: () => number;
  /** Told about every HTTP attempt once it is answered or failed (metrics); must not throw. */
  observe?: (attempt: GraphAttempt) => void;
}

/** One HTTP attempt of a Graph call, for metrics: the route names no ids, tokens or secrets. */
export interface GraphAttempt {
  /** `GET /{waba-id}/phone_numbers`: the method and the path template, without the version. */
  endpoint: string;
  /** `ok`, or the failure's class (`temporary` for timeouts and network errors). */
  outcome: 'ok' | GraphErrorKind;
  /** Meta's error code, when Meta gave one. */
  code?: number;
  durationMs: number;
}

export const WABA_FIELDS: FieldSpec[] = [
  'id',
  'name',
  'currency',
  'timezone_id',
  'message_template_namespace',
  'account_review_status',
  'owner_business_info',
  { edge: 'phone_numbers', fields: [...PHONE_NUMBER_FIELDS] },
];

const PAGE_SIZE = 100;
/** Bounds a list at 10,000 items, so a paging bug cannot loop forever. */
const MAX_PAGES = 100;
const WABA_SUMMARY_FIELDS = 'id,name,currency,timezone_id,message_template_namespace';
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 5_000;

export interface DialogUrlOptions {
  redirectUri: string;
  state: string;
  /** Facebook Login for Business configuration; replaces `scopes`. */
  configId?: string;
  scopes?: string[];
  /** Sent as the JSON `extras` parameter, e.g. `{ setup: {}, featureType: '' }`. */
  extras?: Record<string, unknown>;
}

type TokenAuth = { kind: 'tenant' | 'app'; value: string };

interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path template (`{waba-id}/phone_numbers`) filled with its ids by `graphPath`. */
  path: GraphPath;
  query?: Record<string, string | undefined>;
  body?: Record<string, unknown>;
  /** File bytes instead of a JSON body (the Resumable Upload API), with extra headers. */
  raw?: { bytes: Uint8Array; headers: Record<string, string> };
  /** `OAuth`: the upload endpoint's scheme (Meta's docs); `Bearer` everywhere else. */
  authScheme?: 'Bearer' | 'OAuth';
  auth?: TokenAuth;
  /** Values that must never leak into an error message. */
  secrets?: string[];
  /** Overrides `maxRetries`, e.g. 0 for calls that count against a quota. */
  maxRetries?: number;
}

export class MetaGraphClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly observe: (attempt: GraphAttempt) => void;

  constructor(
    private readonly config: MetaGraphConfig,
    deps: MetaGraphClientDeps = {},
  ) {
    this.fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
    this.observe = deps.observe ?? (() => undefined);
  }

  dialogUrl(options: DialogUrlOptions): string {
    const url = new URL(`${trimSlash(this.config.dialogBaseUrl)}/${this.config.apiVersion}/dialog/oauth`);
    url.searchParams.set('client_id', this.config.appId);
    url.searchParams.set('redirect_uri', options.redirectUri);
    url.searchParams.set('state', options.state);
    url.searchParams.set('response_type', 'code');
    if (options.configId) {
      url.searchParams.set('config_id', options.configId);
      url.searchParams.set('override_default_response_type', 'true');
    }
    if (options.scopes?.length) url.searchParams.set('scope', options.scopes.join(','));
    if (options.extras) url.searchParams.set('extras', JSON.stringify(options.extras));
    return url.toString();
  }

  /** Exchange an authorization code; pass `redirectUri` only for codes from the redirect dialog. */
  exchangeCode(input: { code: string; redirectUri?: string }): Promise<AccessTokenResult> {
    return this.call<AccessTokenResult>({
      method: 'GET',
      path: graphPath('oauth/access_token'),
      query: {
        client_id: this.config.appId,
        client_secret: this.config.appSecret,
        code: input.code,
        redirect_uri: input.redirectUri,
      },
      secrets: [input.code],
    });
  }

  /**
   * `fb_exchange_token`: only a token that is still valid can be extended. `expiresIn60Days` sends
   * `set_token_expires_in_60_days=true`, which system-user tokens need to get a new 60-day token.
   */
  exchangeForLongLivedToken(token: string, options: { expiresIn60Days?: boolean } = {}): Promise<AccessTokenResult> {
    return this.call<AccessTokenResult>({
      method: 'GET',
      path: graphPath('oauth/access_token'),
      query: {
        grant_type: 'fb_exchange_token',
        client_id: this.config.appId,
        client_secret: this.config.appSecret,
        fb_exchange_token: token,
        set_token_expires_in_60_days: options.expiresIn60Days ? 'true' : undefined,
      },
      secrets: [token],
    });
  }

  /** Inspect any token of our app, authenticated with the app access token. */
  async debugToken(token: string): Promise<DebugTokenData> {
    const result = await this.call<{ data: DebugTokenData }>({
      method: 'GET',
      path: graphPath('debug_token'),
      query: { input_token: token },
      auth: { kind: 'app', value: `${this.config.appId}|${this.config.appSecret}` },
      secrets: [token],
    });
    return result.data;
  }

  /** `client_business_id` is answered for business (BISU) tokens; pass other fields for other tokens. */
  getMe(token: string, fields: readonly string[] = ['id', 'name', 'client_business_id']): Promise<MeResult> {
    return this.tenantGet<MeResult>(token, graphPath('me'), { fields: fields.join(',') });
  }

  listBusinesses(token: string): Promise<GraphList<BusinessSummary>> {
    return this.listAll(token, graphPath('me/businesses'), { fields: 'id,name' });
  }

  listOwnedWabas(token: string, businessId: string): Promise<GraphList<WabaSummary>> {
    return this.listAll(token, graphPath('{business-id}/owned_whatsapp_business_accounts', businessId), {
      fields: WABA_SUMMARY_FIELDS,
    });
  }

  listClientWabas(token: string, businessId: string): Promise<GraphList<WabaSummary>> {
    return this.listAll(token, graphPath('{business-id}/client_whatsapp_business_accounts', businessId), {
      fields: WABA_SUMMARY_FIELDS,
    });
  }

  /** One call for the WABA and, by field expansion, its numbers (`phone_numbers.data`). */
  getWaba(token: string, wabaId: string, fields: FieldSpec[] = WABA_FIELDS): Promise<Waba> {
    return this.tenantGet(token, graphPath('{waba-id}', wabaId), { fields: expandFields(fields) });
  }

  listPhoneNumbers(token: string, wabaId: string, fields: readonly string[] = PHONE_NUMBER_FIELDS): Promise<GraphList<PhoneNumber>> {
    return this.listAll(token, graphPath('{waba-id}/phone_numbers', wabaId), { fields: fields.join(',') });
  }

  /** Every template of the WABA, all pages; counted against the WABA's hourly management-call limit. */
  listMessageTemplates(token: string, wabaId: string, filters: MessageTemplateFilters = {}): Promise<GraphList<MessageTemplate>> {
    const query = Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
    return this.listAll(token, graphPath('{waba-id}/message_templates', wabaId), { ...query, fields: MESSAGE_TEMPLATE_FIELDS.join(',') });
  }

  getPhoneNumber(token: string, phoneNumberId: string, fields: readonly string[] = PHONE_NUMBER_FIELDS): Promise<PhoneNumber> {
    return this.tenantGet(token, graphPath('{phone-number-id}', phoneNumberId), { fields: fields.join(',') });
  }

  /** A health refresh of a WABA in one call (docs/meta.md §13): its `health_status`, `subscribed_apps` and numbers with theirs. */
  getWabaHealth(token: string, wabaId: string): Promise<WabaHealthRead> {
    return this.tenantGet(token, graphPath('{waba-id}', wabaId), { fields: expandFields(WABA_HEALTH_FIELDS) });
  }

  /** Our app's own webhook subscriptions (object, callback, fields), read with the app access token. */
  listAppSubscriptions(): Promise<GraphList<AppSubscription>> {
    return this.call({ method: 'GET', path: graphPath('{app-id}/subscriptions', this.config.appId), auth: { kind: 'app', value: `${this.config.appId}|${this.config.appSecret}` } });
  }

  /** One number with its `health_status` (the per-number path: one call per number). */
  getPhoneNumberHealth(token: string, phoneNumberId: string): Promise<PhoneNumberWithHealth> {
    return this.tenantGet(token, graphPath('{phone-number-id}', phoneNumberId), { fields: HEALTH_PHONE_NUMBER_FIELDS.join(',') });
  }

  /** Subscribe our app to the WABA's webhooks; with `override`, also redirect them (subscribe first). */
  subscribeApp(token: string, wabaId: string, override?: CallbackOverride): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{waba-id}/subscribed_apps', wabaId),
      auth: { kind: 'tenant', value: token },
      body: override ? { override_callback_uri: override.callbackUri, verify_token: override.verifyToken } : undefined,
      secrets: override ? [override.verifyToken] : [],
    });
  }

  listSubscribedApps(token: string, wabaId: string): Promise<GraphList<SubscribedApp>> {
    return this.listAll(token, graphPath('{waba-id}/subscribed_apps', wabaId), {});
  }

  unsubscribeApp(token: string, wabaId: string): Promise<GraphSuccess> {
    return this.call({
      method: 'DELETE',
      path: graphPath('{waba-id}/subscribed_apps', wabaId),
      auth: { kind: 'tenant', value: token },
    });
  }

  /** Never retried: every attempt counts against the 10-per-72-hours limit (133016). */
  registerPhone(token: string, phoneNumberId: string, pin: string): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}/register', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      body: { messaging_product: 'whatsapp', pin },
      secrets: [pin],
      maxRetries: 0,
    });
  }

  /** Never retried: shares the register limit. */
  deregisterPhone(token: string, phoneNumberId: string): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}/deregister', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      maxRetries: 0,
    });
  }

  /**
   * Asks Meta to send a coexistence number's app contacts (`smb_app_state_sync`) or chat history
   * (`history`) as webhooks. Meta accepts each kind once, within 24 hours of onboarding.
   */
  requestSmbAppData(token: string, phoneNumberId: string, syncType: SmbSyncType): Promise<SmbAppDataResult> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}/smb_app_data', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      body: { messaging_product: 'whatsapp', sync_type: syncType },
    });
  }

  setTwoStepPin(token: string, phoneNumberId: string, pin: string): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      body: { pin },
      secrets: [pin],
    });
  }

  getBusinessProfile(token: string, phoneNumberId: string): Promise<{ data: WhatsAppBusinessProfile[] }> {
    return this.tenantGet(token, graphPath('{phone-number-id}/whatsapp_business_profile', phoneNumberId), { fields: BUSINESS_PROFILE_FIELDS.join(',') });
  }

  /** Send only the fields that change; Meta keeps the others. */
  updateBusinessProfile(token: string, phoneNumberId: string, update: WhatsAppBusinessProfileUpdate): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}/whatsapp_business_profile', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      body: { messaging_product: 'whatsapp', ...update },
    });
  }

  /** Resumable Upload API, step 1: a session for one file of our app (`upload:<id>`). */
  startUpload(token: string, file: { name: string; length: number; type: ProfilePhotoType }): Promise<UploadSession> {
    return this.call({
      method: 'POST',
      path: graphPath('{app-id}/uploads', this.config.appId),
      auth: { kind: 'tenant', value: token },
      query: { file_name: file.name, file_length: String(file.length), file_type: file.type },
    });
  }

  /** Step 2: the bytes from `fileOffset` on (0 for a fresh upload); answers the handle `h`. */
  uploadFile(token: string, sessionId: string, bytes: Uint8Array, fileOffset = 0): Promise<UploadedFileHandle> {
    return this.call({
      method: 'POST',
      path: { template: 'upload:{session}', value: sessionId },
      auth: { kind: 'tenant', value: token },
      authScheme: 'OAuth',
      raw: { bytes, headers: { file_offset: String(fileOffset), 'content-type': 'application/octet-stream' } },
    });
  }

  /** `POST /{phone}` with `new_display_name`: Meta reviews the name; the decision comes by webhook. */
  requestDisplayNameChange(token: string, phoneNumberId: string, name: string): Promise<GraphSuccess> {
    return this.call({
      method: 'POST',
      path: graphPath('{phone-number-id}', phoneNumberId),
      auth: { kind: 'tenant', value: token },
      body: { new_display_name: name },
    });
  }

  /** Every page of a list edge, following `paging.cursors.after` while `paging.next` says more follow. */
  private async listAll<T>(token: string, path: GraphPath, query: Record<string, string>): Promise<GraphList<T>> {
    const data: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.tenantGet<GraphList<T>>(token, path, { ...query, limit: String(PAGE_SIZE), ...(after && { after }) });
      data.push(...result.data);
      after = result.paging?.next ? result.paging.cursors?.after : undefined;
      if (!after) break;
    }
    return { data };
  }

  private tenantGet<T>(token: string, path: GraphPath, query?: Record<string, string>): Promise<T> {
    return this.call<T>({ method: 'GET', path, query, auth: { kind: 'tenant', value: token } });
  }

  private async call<T>(call: GraphCall): Promise<T> {
    const maxRetries = call.maxRetries ?? this.config.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(call);
      } catch (error) {
        const retry = error instanceof MetaGraphError && error.kind === 'temporary' && attempt < maxRetries;
        if (!retry) throw error;
        // Full jitter keeps many clients from retrying in lockstep after an outage.
        const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
        await this.sleep(Math.floor(this.random() * ceiling));
      }
    }
  }

  /** One HTTP attempt, reported to the observer with its outcome and duration. */
  private async attempt<T>(call: GraphCall): Promise<T> {
    const started = Date.now();
    const endpoint = `${call.method} /${call.path.template}`;
    try {
      const result = await this.send<T>(call);
      this.observe({ endpoint, outcome: 'ok', durationMs: Date.now() - started });
      return result;
    } catch (error) {
      const failure = error instanceof MetaGraphError ? error : undefined;
      this.observe({ endpoint, outcome: failure?.kind ?? 'unknown', code: failure?.code, durationMs: Date.now() - started });
      throw error;
    }
  }

  private async send<T>(call: GraphCall): Promise<T> {
    const endpoint = `${call.method} /${this.config.apiVersion}/${call.path.value}`;
    const secrets = [this.config.appSecret, ...(call.secrets ?? []), ...(call.auth ? [call.auth.value] : [])];
    const url = new URL(`${trimSlash(this.config.graphBaseUrl)}/${this.config.apiVersion}/${call.path.value}`);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.auth) {
      headers['authorization'] = `${call.authScheme ?? 'Bearer'} ${call.auth.value}`;
      if (call.auth.kind === 'tenant') {
        url.searchParams.set('appsecret_proof', appSecretProof(call.auth.value, this.config.appSecret));
      }
    }
    if (call.body) headers['content-type'] = 'application/json';
    if (call.raw) Object.assign(headers, call.raw.headers);

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: call.method,
        headers,
        body: call.raw ? new Blob([new Uint8Array(call.raw.bytes)]) : call.body ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw transportError(endpoint, error);
    }

    const text = await response.text();
    const json = parseJson(text);
    const graphError = isErrorEnvelope(json) ? json.error : undefined;
    if (response.ok && json !== undefined && !graphError) return json as T;

    const facts = {
      code: graphError?.code,
      subcode: graphError?.error_subcode,
      httpStatus: response.status,
      businessUseCaseUsage: response.headers.get('x-business-use-case-usage'),
    };
    const described = graphError ? `(#${graphError.code}) ${redact(graphError.message, secrets)}` : `HTTP ${response.status} without a Graph error body`;
    throw new MetaGraphError({
      ...classifyGraphError(facts),
      message: `Graph ${endpoint} failed: ${described}`,
      code: facts.code,
      subcode: facts.subcode,
      fbtraceId: graphError?.fbtrace_id,
      httpStatus: response.status,
      endpoint,
    });
  }
}

function transportError(endpoint: string, error: unknown): MetaGraphError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  // Only the error code of the cause: its message may quote the URL and thus a query secret.
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  const reason = timedOut ? 'timed out' : `network error${cause ? ` (${cause})` : ''}`;
  const temporary: GraphErrorClass = { kind: 'temporary', retryable: true };
  return new MetaGraphError({ ...temporary, message: `Graph ${endpoint} failed: ${reason}`, endpoint });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // proxies answer 5xx with HTML; classified by status below
  }
}

function isErrorEnvelope(value: unknown): value is GraphErrorEnvelope {
  const error = (value as Partial<GraphErrorEnvelope> | undefined)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'number';
}

function redact(message: string, secrets: string[]): string {
  return secrets.filter((secret) => secret.length >= 4).reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

interface GraphPath {
  /** `{waba-id}/phone_numbers`: what metrics name the endpoint by. */
  template: string;
  /** `1234/phone_numbers`: the path sent. */
  value: string;
}

/** A path from its template; the one `{…}` placeholder (our paths have at most one) takes the id, encoded. */
function graphPath(template: string, id?: string): GraphPath {
  return { template, value: id === undefined ? template : template.replace(/\{[^}]+\}/, encodeURIComponent(id)) };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
