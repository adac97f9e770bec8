// Drives `tools/start.ts` as people run it: a child process with its own data folder and ports,
// stopped with SIGINT (Ctrl+C); plus a cookie-keeping HTTP client and a consent granted over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RuntimeInfo } from '@waba/tools/launcher/runtime-file';
import { rememberSetCookie } from '@waba/testing';
import { grantConsent, type Sandbox } from '@waba/testing/sandbox';
import { runSecretScan } from '../support/run-secret-scan';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

export interface LauncherOptions {
  dataDir: string;
  apiPort: number;
  sandboxPort: number;
}

/** The environment of a developer's shell, minus anything that would point the run elsewhere. */
export function launcherEnv(options: LauncherOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['MONGODB_URI', 'REDIS_URL', 'TOKEN_ENCRYPTION_KEYS', 'TOKEN_ENCRYPTION_ACTIVE_KEY']) delete env[name];
  return { ...env, WABA_DATA_DIR: options.dataDir, API_PORT: String(options.apiPort), SANDBOX_PORT: String(options.sandboxPort), LOG_LEVEL: 'warn' };
}

export class LauncherProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: LauncherOptions,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(options: LauncherOptions): Promise<LauncherProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start.ts', '--skip-build'], {
      cwd: WORKSPACE_ROOT,
      env: launcherEnv(options),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const launcher = new LauncherProcess(child, options);
    runSecretScan.watchProcess(child, launcher.apiUrl);
    await launcher.waitForLine('WABA Connect is running', 150_000);
    return launcher;
  }

  get apiUrl(): string {
    return `http://localhost:${this.options.apiPort}`;
  }

  get sandboxUrl(): string {
    return `http://localhost:${this.options.sandboxPort}`;
  }

  get log(): string {
    return this.output;
  }

  runtime(): RuntimeInfo {
    return JSON.parse(readFileSync(resolve(this.options.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
  }

  pidOf(name: string): number {
    const entry = this.runtime().processes.find((p) => p.name === name);
    if (!entry) throw new Error(`the runtime file names no ${name}`);
    return entry.pid;
  }

  /** Ctrl+C; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async waitForLine(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`tools/start.ts exited with ${this.child.exitCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs / 1000} s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  hasRuntimeFile(): boolean {
    return existsSync(resolve(this.options.dataDir, 'runtime.json'));
  }
}

/**
 * A browser's cookie jar over fetch: keeps cookies and echoes XSRF-TOKEN as X-XSRF-TOKEN on unsafe
 * requests, as the SPA does. It can be pointed at a restarted server: only cookies identify it.
 */
export class HttpBrowser {
  readonly cookies = new Map<string, string>();

  constructor(public baseUrl: string) {}

  async visit(): Promise<this> {
    if (!this.cookies.has('XSRF-TOKEN')) await this.request('GET', '/api/health');
    return this;
  }

  // Bodies are read as loosely as supertest's `response.body`: the assertions check them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    const csrf = this.cookies.get('XSRF-TOKEN');
    if (method !== 'GET' && csrf) headers['x-xsrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of response.headers.getSetCookie()) rememberSetCookie(this.cookies, line);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }
}

interface WorldSnapshot {
  businesses: { id: string; name: string; wabas: { id: string; name: string; phoneNumbers: { id: string; displayPhoneNumber: string }[] }[] }[];
}

/**
 * Embedded Signup in a sandbox running in another process: the harness's `grantConsent` posts the
 * consent form as a browser would and only reads the world to pick ids, which `/_sandbox/world`
 * provides here.
 */
export async function embeddedSignupOverHttp(sandboxUrl: string, business: string): Promise<{ code: string; wabaId: string; phoneIds: Map<string, string> }> {
  const world = (await (await fetch(`${sandboxUrl}/_sandbox/world`)).json()) as WorldSnapshot;
  const businesses = new Map(world.businesses.map((b) => [b.id, b]));
  const wabas = world.businesses.flatMap((b) => b.wabas);
  const remote = {
    baseUrl: sandboxUrl,
    world: {
      businesses,
      wabasOwnedBy: (id: string) => businesses.get(id)?.wabas ?? [],
      phoneNumbersOf: (id: string) => wabas.find((w) => w.id === id)?.phoneNumbers ?? [],
    },
  } as unknown as Sandbox;
  const consent = await grantConsent(remote, { flow: 'sdk', business });
  const finish = consent.messages.find((m) => m['type'] === 'WA_EMBEDDED_SIGNUP') as { data?: { waba_id?: string } } | undefined;
  if (!consent.code || !finish?.data?.waba_id) throw new Error(`the sandbox finished no signup: ${JSON.stringify(consent.messages)}`);
  const phoneIds = new Map(wabas.flatMap((w) => w.phoneNumbers).map((p) => [p.displayPhoneNumber, p.id]));
  return { code: consent.code, wabaId: finish.data.waba_id, phoneIds };
}
