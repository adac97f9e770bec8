/**
 * The secret scan of the whole API e2e run (issue: "every log line and every response body"): every
 * test app, Meta sandbox and spawned API process a suite starts reports here, without the suite
 * doing anything. After each test file (`run-secret-scan.setup.ts`) everything the API answered or
 * logged is searched for every secret the file created; one hit fails that file.
 *
 * Secrets come from where they are made, not from a list kept by hand:
 * - what the API hands out: Set-Cookie values (session, CSRF), the OAuth `state` of a redirect,
 *   an invitation link's token — allowed in that one response only (ExchangeRecorder.record);
 * - what a person chose and the API accepted: passwords, pasted tokens and codes in request
 *   bodies answered 2xx (refused junk, as the fuzzing suites send, is no one's secret);
 * - what Meta minted: every token and code a sandbox mints, every two-step PIN it holds;
 * - the deployment's own: the app secret, the verify token and the token-encryption keys.
 */
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApiConfig } from '@waba/api/config/api-config';
import { ExchangeRecorder, type Leak, SECRET_REQUEST_FIELDS, SecretRegistry } from '@waba/testing';
import type { Sandbox } from '@waba/testing/sandbox';

/** Responses larger than this are cut (the scan still sees their start). */
const MAX_BODY_BYTES = 2_000_000;

/** The sandbox's state, where it keeps what it minted. */
type WorldStore = Sandbox['world'];

interface LogSource {
  readonly lines: readonly string[];
}

class RunScan {
  private readonly secrets = new SecretRegistry();
  private readonly recorder = new ExchangeRecorder(this.secrets);
  private readonly logSources: LogSource[] = [];
  private readonly scannedLines = new Map<LogSource, number>();
  private readonly worlds: WorldStore[] = [];
  private watched = new WeakSet<Server>();
  private readonly fetchedOrigins = new Set<string>();
  private fetchPatched = false;

  /** A test app: its configuration's secrets, its log lines and every response its server sends. */
  watchApp(server: Server, logs: LogSource, config: ApiConfig): void {
    this.secrets.add('META_APP_SECRET', config.META_APP_SECRET);
    this.secrets.add('META_WEBHOOK_VERIFY_TOKEN', config.META_WEBHOOK_VERIFY_TOKEN);
    for (const key of config.encryptionKeys) this.secrets.add(`encryption key ${key.id}`, key.key.toString('base64'));
    this.logSources.push(logs);
    this.watchServer(server, 'api');
  }

  /**
   * A spawned API process (or `npm start`): its output lines, and every `fetch` answer from its
   * origin (the suites talk to such processes with fetch).
   */
  watchProcess(child: ChildProcess, origin?: string): void {
    const lines: string[] = [];
    const keep = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.logSources.push({ lines });
    if (origin) this.fetchedOrigins.add(new URL(origin).origin);
  }

  /**
   * A Meta sandbox: every token and code it mints is registered as it is minted (a reset between
   * tests empties the world), its PINs whenever the API answers.
   */
  watchSandbox(world: WorldStore): void {
    this.worlds.push(world);
    const onSet = <V>(map: Map<string, V>, label: string) => {
      for (const key of map.keys()) this.secrets.add(label, key);
      const set = map.set.bind(map);
      map.set = (key: string, value: V) => (this.secrets.add(label, key), set(key, value));
    };
    onSet(world.tokens, 'access token minted by Meta');
    onSet(world.codes, 'authorization code minted by Meta');
  }

  private harvestPins(): void {
    for (const world of this.worlds) {
      for (const number of world.phoneNumbers.values()) if (number.twoStepPin) this.secrets.add('two-step PIN', number.twoStepPin);
    }
  }

  /** Wraps the global fetch once, to record answers from watched process origins. */
  patchFetch(): void {
    if (this.fetchPatched) return;
    this.fetchPatched = true;
    const original = globalThis.fetch;
    globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const response = await original(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      const type = response.headers.get('content-type') ?? '';
      if (this.fetchedOrigins.has(url.origin) && /json|text/.test(type) && !/event-stream/.test(type)) {
        const text = await response.clone().text();
        this.recorder.record(`fetch: ${init?.method ?? 'GET'} ${url.pathname}`, {
          status: response.status,
          headers: headersOf(response.headers),
          text,
          body: parseJson([Buffer.from(text)]),
        });
      }
      return response;
    };
  }

  /** Anything the suite received outside a watched server: socket events, fetched bodies. */
  recordText(where: string, text: string): void {
    this.recorder.recordText(where, text);
  }

  /**
   * Every leak in what was received and logged since the last call (jest gives each test file its
   * own copy of this module, so a file starts empty). Secrets stay known for later calls.
   */
  takeLeaks(): { leaks: Leak[]; scanned: { responsesAndEvents: number; logLines: number; secrets: number } } {
    this.harvestPins();
    const logLines = this.logSources.flatMap((source) => source.lines.slice(this.scannedLines.get(source) ?? 0));
    for (const source of this.logSources) this.scannedLines.set(source, source.lines.length);
    const responsesAndEvents = this.recorder.count;
    const leaks = this.recorder.findLeaks(logLines);
    this.recorder.clear();
    return { leaks, scanned: { responsesAndEvents, logLines: logLines.length, secrets: this.secrets.size } };
  }

  private watchServer(server: Server, name: string): void {
    if (this.watched.has(server)) return;
    this.watched.add(server);
    // First listener: wraps write/end before the app can answer, and only observes.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function' || size >= MAX_BODY_BYTES) return;
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        chunks.push(buffer);
        size += buffer.length;
      };
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk, rest[0]), write(chunk, ...rest))) as ServerResponse['write'];
      res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk, rest[0]), end(chunk, ...rest))) as ServerResponse['end'];
      res.once('finish', () => {
        const path = (req.url ?? '').split('?')[0];
        if (res.statusCode >= 200 && res.statusCode < 300) this.harvestAccepted(req);
        this.harvestPins();
        this.recorder.record(`${name}: ${req.method} ${path}`, {
          status: res.statusCode,
          headers: res.getHeaders() as Record<string, string | string[] | undefined>,
          text: Buffer.concat(chunks).toString('utf8'),
          body: parseJson(chunks),
        });
      });
    });
  }

  private harvestAccepted(req: IncomingMessage & { body?: unknown; query?: unknown }): void {
    const body = req.body;
    // The API reads no body on these methods: a password sent with a GET that answered 200 (the
    // hostile-input suite does that) is junk that was ignored, not a secret the API took.
    const readsBody = !['GET', 'HEAD', 'DELETE'].includes(req.method ?? 'GET');
    if (readsBody && body && typeof body === 'object') {
      for (const field of SECRET_REQUEST_FIELDS) {
        const value = (body as Record<string, unknown>)[field];
        if (typeof value === 'string' && value.length >= 8) this.secrets.add(`${field} sent to ${(req.url ?? '').split('?')[0]}`, value);
      }
    }
    // The redirect flow's callback carries Meta's code and our state in its query.
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    for (const field of ['code', 'state']) {
      const value = query.get(field);
      if (value && value.length >= 8) this.secrets.add(`OAuth ${field} in a callback`, value);
    }
  }
}

function headersOf(headers: Headers): Record<string, string | string[]> {
  const all: Record<string, string | string[]> = {};
  headers.forEach((value, name) => (all[name] = value));
  return { ...all, 'set-cookie': headers.getSetCookie() };
}

function parseJson(chunks: Buffer[]): unknown {
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

export const runSecretScan = new RunScan();
