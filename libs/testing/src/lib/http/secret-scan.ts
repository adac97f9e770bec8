/**
 * Secret scanning for e2e suites: a registry of every secret a run creates (passwords, session and
 * CSRF cookies, OAuth states and codes, tokens minted by the sandbox, the app secret, PINs) and a
 * recorder of everything the suite received (response status lines, headers and bodies, socket
 * events) plus the app's log lines. `findLeaks()` says where any secret showed up.
 *
 * Adopt it in a suite:
 *   const secrets = new SecretRegistry();
 *   const recorder = new ExchangeRecorder(secrets);
 *   const browser = new RecordingBrowser(api.server, recorder);        // instead of TestBrowser
 *   recorder.record('raw call', await request(api.server).get('/api/x')); // for plain supertest
 *   ...
 *   expect(recorder.findLeaks(api.logs.lines)).toEqual([]);
 *
 * Secrets a response hands out on purpose are allowed in that response only: a Set-Cookie's value,
 * the `state` of a redirect to Meta's dialog, the two-step PIN of an owner's reveal. Everywhere
 * else they are leaks.
 */
import type { Server } from 'node:http';
import type { Response } from 'supertest';
import { TestBrowser } from './test-browser';

export interface Leak {
  /** What the secret is (`password of owner-…`, `session cookie`), never the secret itself. */
  secret: string;
  /** Where it appeared: `log line 12`, `POST /api/auth/login → 200 body`. */
  where: string;
  /** The surroundings, with the secret masked. */
  excerpt: string;
}

/** Request body fields that carry a secret when the API accepts them (a password chosen, a token pasted, a code). */
export const SECRET_REQUEST_FIELDS = ['password', 'currentPassword', 'newPassword', 'accessToken', 'token', 'code'];

/** The one route whose answer hands out a two-step PIN (`POST /api/phone-numbers/:id/pin/reveal`). */
const PIN_REVEAL_ROUTE = /POST \/api\/phone-numbers\/[^/\s]+\/pin\/reveal$/;

/** Shorter values would match by chance (ids, timestamps) unless bounded by non-alphanumerics. */
const SHORT = 12;

export class SecretRegistry {
  private readonly byValue = new Map<string, string>();
  /** The first SHORT characters of every form of every long secret → those forms; built on demand. */
  private index?: Map<string, Array<{ form: string; value: string }>>;
  /** Forms shorter than SHORT, matched only between non-alphanumerics; built with the index. */
  private shortForms?: Array<{ value: string; pattern: RegExp }>;

  /** Registers a secret; empty values are ignored, values under 4 characters refused (they would match anything). */
  add(label: string, value: string | null | undefined): void {
    if (!value) return;
    if (value.length < 4) throw new Error(`${label} is too short to scan for`);
    if (!this.byValue.has(value)) {
      this.byValue.set(value, label);
      this.index = undefined;
    }
  }

  addAll(label: string, values: Iterable<string | null | undefined>): void {
    for (const value of values) this.add(label, value);
  }

  get size(): number {
    return this.byValue.size;
  }

  labels(): string[] {
    return [...new Set(this.byValue.values())];
  }

  has(value: string): boolean {
    return this.byValue.has(value);
  }

  /**
   * Every secret found in `text` (also percent-encoded, JSON-escaped or base64), except the
   * `allowed` values. One pass over the text whatever the number of secrets (thousands of CSRF
   * tokens in a fuzzing run): long secrets are looked up by their first characters.
   */
  findIn(text: string, allowed: ReadonlySet<string> = new Set()): Array<{ label: string; value: string; form: string; index: number }> {
    const found = new Map<string, { form: string; index: number }>();
    const index = this.buildIndex();
    for (let i = 0; i + SHORT <= text.length; i++) {
      const candidates = index.get(text.slice(i, i + SHORT));
      if (!candidates) continue;
      for (const { form, value } of candidates) {
        if (!found.has(value) && !allowed.has(value) && text.startsWith(form, i)) found.set(value, { form, index: i });
      }
    }
    for (const { value, pattern } of this.shortForms ?? []) {
      if (found.has(value) || allowed.has(value)) continue;
      const match = pattern.exec(text);
      if (match) found.set(value, { form: match[0], index: match.index });
    }
    return [...found].map(([value, at]) => ({ label: this.byValue.get(value) ?? 'secret', value, ...at }));
  }

  private buildIndex(): Map<string, Array<{ form: string; value: string }>> {
    if (this.index) return this.index;
    const index = new Map<string, Array<{ form: string; value: string }>>();
    this.shortForms = [];
    for (const [value] of this.byValue) {
      for (const form of formsOf(value)) {
        if (form.length < SHORT) {
          const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          this.shortForms.push({ value, pattern: new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`) });
          continue;
        }
        const prefix = form.slice(0, SHORT);
        index.set(prefix, [...(index.get(prefix) ?? []), { form, value }]);
      }
    }
    this.index = index;
    return index;
  }
}

function formsOf(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')])];
}

interface Exchange {
  where: string;
  text: string;
  allowed: Set<string>;
}

/** Anything with a status, headers and a body: a supertest response, or a fetch result turned into one. */
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text?: string;
  body?: unknown;
}

export class ExchangeRecorder {
  private readonly exchanges: Exchange[] = [];

  constructor(readonly secrets: SecretRegistry) {}

  get count(): number {
    return this.exchanges.length;
  }

  /**
   * Records a response (status, every header, body) and harvests the secrets it hands out: cookie
   * values it sets, the OAuth `state` of a redirect and an invitation link's token. Returns the
   * response, for chaining.
   */
  record<T extends ReceivedResponse>(label: string, response: T): T {
    const allowed = new Set<string>();
    const setCookie = [response.headers['set-cookie'] ?? []].flat();
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
      if (value.length >= 4) {
        this.secrets.add(`${name} cookie`, value);
        allowed.add(value);
      }
    }
    const location = response.headers['location'];
    if (typeof location === 'string') {
      const state = safeUrl(location)?.searchParams.get('state');
      if (state && state.length >= 4) {
        this.secrets.add('OAuth state', state);
        allowed.add(state);
      }
    }
    // An invitation or signup link (`…/invite#<token>`, `…/signup-link#<token>`) is shown once, in the answer that creates it.
    const link = (response.body as { link?: unknown } | undefined)?.link;
    const invitationToken = typeof link === 'string' ? safeUrl(link)?.hash.slice(1) : undefined;
    if (invitationToken && invitationToken.length >= 4) {
      this.secrets.add(typeof link === 'string' && link.includes('/signup-link#') ? 'signup link token' : 'invitation token', invitationToken);
      allowed.add(invitationToken);
    }
    // A number's two-step PIN leaves the API in one answer only: an owner's audited reveal.
    const pin = (response.body as { pin?: unknown } | undefined)?.pin;
    if (response.status === 200 && PIN_REVEAL_ROUTE.test(label) && typeof pin === 'string' && pin.length >= 4) {
      this.secrets.add('two-step PIN', pin);
      allowed.add(pin);
    }
    const headers = Object.entries(response.headers)
      .map(([name, value]) => `${name}: ${[value ?? ''].flat().join(', ')}`)
      .join('\n');
    const body = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body));
    this.exchanges.push({ where: `${label} → ${response.status}`, text: `${response.status}\n${headers}\n\n${body}`, allowed });
    return response;
  }

  /** Forgets the recorded exchanges (once scanned); the secrets stay registered. */
  clear(): void {
    this.exchanges.length = 0;
  }

  /** Records anything else the suite received: a socket event, a fetch body. */
  recordText(where: string, text: string): void {
    this.exchanges.push({ where, text, allowed: new Set() });
  }

  /** Every secret in every recorded exchange and in the given log lines. */
  findLeaks(logLines: readonly string[] = []): Leak[] {
    const leaks: Leak[] = [];
    const scan = (where: string, text: string, allowed?: Set<string>) => {
      for (const { label, form, index } of this.secrets.findIn(text, allowed)) {
        const excerpt = text
          .slice(Math.max(0, index - 60), index + form.length + 60)
          .split(form)
          .join('«secret»');
        leaks.push({ secret: label, where, excerpt });
      }
    };
    this.exchanges.forEach((exchange) => scan(exchange.where, exchange.text, exchange.allowed));
    logLines.forEach((line, i) => scan(`log line ${i + 1}`, line));
    return leaks;
  }
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value, 'http://relative.invalid');
  } catch {
    return undefined;
  }
}

/** A TestBrowser whose every response goes to the recorder (and whose cookies become secrets). */
export class RecordingBrowser extends TestBrowser {
  constructor(
    server: Server,
    private readonly recorder: ExchangeRecorder,
    private readonly name = 'browser',
  ) {
    super(server);
  }

  override async send(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object, headers: Record<string, string> = {}): Promise<Response> {
    const response = await super.send(method, path, body, headers);
    return this.recorder.record(`${this.name}: ${method.toUpperCase()} ${path}`, response);
  }
}
