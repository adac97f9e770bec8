/**
 * The one place that decides which MongoDB-compatible server a run uses (see README, "Database"):
 * MONGODB_URI when set, else mongodb-memory-server, else FerretDB built from the Go module proxy.
 * Shared by `npm start`, the test set-up and the benchmarks.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync, cpSync, chmodSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setEqualityIndexes } from './postgresql-equality-indexes';

export type DatabaseKind = 'external' | 'mongodb-memory-server' | 'ferretdb-sqlite' | 'ferretdb-postgresql';

export interface LaunchedDatabase {
  kind: DatabaseKind;
  /** Server URI without a database name, e.g. `mongodb://127.0.0.1:40123`. */
  uri: string;
  /** One line for people: which server, where. */
  description: string;
  stop(): Promise<void>;
  /** The server's process, when we started it (benchmarks read its CPU time). */
  readonly pid?: number;
  /** Embedded servers: `listener` runs when the server ends without `stop()` (a crash). */
  onExit?(listener: (reason: string) => void): void;
}

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Skip mongodb-memory-server (it needs MongoDB's download site or a cached binary). */
  skipMemoryServer?: boolean;
}

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_BIN = join(WORKSPACE_ROOT, '.tools/bin/ferretdb');
const FERRETDB_SRC = join(WORKSPACE_ROOT, '.tools/ferretdb-src');
// Remembers that mongod could not be downloaded here, so later runs skip the ~7 s of retries.
const MEMORY_SERVER_UNAVAILABLE = join(WORKSPACE_ROOT, '.tools/memory-server-unavailable');

export async function launchDatabase(options: LaunchOptions = {}): Promise<LaunchedDatabase> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));

  if (env['MONGODB_URI']) {
    const uri = env['MONGODB_URI'];
    return { kind: 'external', uri, description: `MongoDB from MONGODB_URI (${redactUri(uri)})`, stop: async () => undefined };
  }

  const memoryServerFailure = options.skipMemoryServer || env['WABA_SKIP_MEMORY_SERVER'] === '1' ? 'skipped' : await tryMemoryServer(log);
  if (typeof memoryServerFailure !== 'string') return memoryServerFailure;

  try {
    return await startFerretDb(env, log);
  } catch (error) {
    throw new Error(
      `No database available. mongodb-memory-server: ${memoryServerFailure}. FerretDB: ${(error as Error).message}. ` +
        'Set MONGODB_URI to a MongoDB server, or install Go (for FerretDB), or allow mongodb-memory-server to download mongod.',
    );
  }
}

/** Returns a started server, or why it could not start. */
async function tryMemoryServer(log: (line: string) => void): Promise<LaunchedDatabase | string> {
  if (existsSync(MEMORY_SERVER_UNAVAILABLE)) {
    return `mongod could not be downloaded earlier (delete ${MEMORY_SERVER_UNAVAILABLE} to try again)`;
  }
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    // Without MongoDB's download site this fails fast (DNS); a cached binary starts in ~1 s.
    const server = await withTimeout(MongoMemoryServer.create(), 120_000, 'mongodb-memory-server did not start in 120 s');
    const uri = server.getUri().replace(/\/$/, '');
    return { kind: 'mongodb-memory-server', uri, description: `mongodb-memory-server (${uri})`, stop: async () => void (await server.stop()) };
  } catch (error) {
    return rememberMemoryServerUnavailable(error, log);
  }
}

function rememberMemoryServerUnavailable(error: unknown, log: (line: string) => void): string {
  const reason = firstLine((error as Error).message);
  mkdirSync(join(WORKSPACE_ROOT, '.tools'), { recursive: true });
  writeFileSync(MEMORY_SERVER_UNAVAILABLE, `${new Date().toISOString()} ${reason}\n`);
  log(`database: mongodb-memory-server unavailable (${reason}); using FerretDB`);
  return reason;
}

export interface FerretDbOptions {
  /** Reuse a port and data folder, e.g. to bring the same database back after stopping it. */
  port?: number;
  dataDir?: string;
  /** Keep the data folder when stopping (the caller removes it). */
  keepData?: boolean;
}

export async function startFerretDb(env: NodeJS.ProcessEnv, log: (line: string) => void, options: FerretDbOptions = {}): Promise<LaunchedDatabase & { port: number; dataDir: string; pid?: number }> {
  ensureFerretDbBuilt(log);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'waba-ferretdb-'));
  const port = options.port ?? (await freePort());
  const postgresUrl = env['FERRETDB_POSTGRESQL_URL'];
  const handlerArgs = postgresUrl ? ['--handler=postgresql', `--postgresql-url=${postgresUrl}`] : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`];
  let backend = 'SQLite backend';
  if (postgresUrl) {
    const enabled = env['FERRETDB_EQUALITY_INDEXES'] !== '0';
    const failure = await setEqualityIndexes(postgresUrl, enabled);
    backend = `PostgreSQL backend, ${failure ? `without equality indexes (${firstLine(failure)})` : enabled ? 'with equality indexes' : 'equality indexes turned off'}`;
  }
  const child = spawn(FERRETDB_BIN, [...handlerArgs, `--state-dir=${dataDir}`, `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', '--log-level=error'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    await waitForPort(port, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${stderr ? `: ${firstLine(stderr)}` : ''}`);
  }
  const kind: DatabaseKind = postgresUrl ? 'ferretdb-postgresql' : 'ferretdb-sqlite';
  const uri = `mongodb://127.0.0.1:${port}`;
  let stopping = false;
  return {
    kind,
    uri,
    port,
    dataDir,
    pid: child.pid,
    description: `FerretDB ${FERRETDB_VERSION} (${backend}) at ${uri}`,
    stop: () => {
      stopping = true;
      return stopProcess(child).then(() => (options.keepData ? undefined : rmSync(dataDir, { recursive: true, force: true })));
    },
    onExit: (listener) =>
      child.once('exit', (code, signal) => {
        if (!stopping) listener(`FerretDB exited (${signal ?? `exit code ${code}`})${stderr ? `: ${firstLine(stderr)}` : ''}`);
      }),
  };
}

export interface PersistentDatabaseOptions {
  /** Folder holding the data: `mongodb/` for mongod, `ferretdb/` for FerretDB's SQLite files. */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export type PersistentDatabase = LaunchedDatabase & {
  /** The server process now (it changes with restarts); absent for an external server. */
  readonly pid?: number;
  /** Starts the same kind of server again on the same port and data (after a crash). */
  restart(): Promise<void>;
};

/**
 * `npm start`'s database, kept across runs: MONGODB_URI when set, else an embedded server whose
 * data stays in `dataDir` (never removed here, whatever happens). The kind that already holds data
 * there wins, so a run never silently switches to an empty server; an empty folder tries
 * mongodb-memory-server, then FerretDB, as `launchDatabase` does.
 */
export async function launchPersistentDatabase(options: PersistentDatabaseOptions): Promise<PersistentDatabase> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  if (env['MONGODB_URI']) {
    const external = await launchDatabase({ env, log });
    return { ...external, restart: async () => undefined };
  }
  const mongodDir = join(options.dataDir, 'mongodb');
  const ferretDir = join(options.dataDir, 'ferretdb');
  if (hasFiles(mongodDir)) {
    return persistentMemoryServer(mongodDir).catch((error: Error) => {
      throw new Error(`${mongodDir} holds mongod's data, but mongod did not start (${firstLine(error.message)}); \`npm run reset\` starts empty instead`);
    });
  }
  const tryMemoryServerFirst = !hasFiles(ferretDir) && env['WABA_SKIP_MEMORY_SERVER'] !== '1' && !existsSync(MEMORY_SERVER_UNAVAILABLE);
  if (tryMemoryServerFirst) {
    try {
      return await persistentMemoryServer(mongodDir);
    } catch (error) {
      rmSync(mongodDir, { recursive: true, force: true });
      rememberMemoryServerUnavailable(error, log);
    }
  }
  return persistentFerretDb(env, log, ferretDir);
}

async function persistentFerretDb(env: NodeJS.ProcessEnv, log: (line: string) => void, dataDir: string): Promise<PersistentDatabase> {
  mkdirSync(dataDir, { recursive: true });
  let current = await startFerretDb(env, log, { dataDir, keepData: true });
  const listeners: ((reason: string) => void)[] = [];
  return {
    kind: current.kind,
    uri: current.uri,
    description: `${current.description}, data in ${dataDir}`,
    get pid() {
      return current.pid;
    },
    stop: () => current.stop(),
    onExit: (listener) => {
      listeners.push(listener);
      current.onExit?.(listener);
    },
    restart: async () => {
      await current.stop();
      current = await startFerretDb(env, log, { dataDir, port: current.port, keepData: true });
      for (const listener of listeners) current.onExit?.(listener);
    },
  };
}

/** mongod with its files in `dbPath` (wiredTiger, so they survive), on a port that stays the same. */
async function persistentMemoryServer(dbPath: string): Promise<PersistentDatabase> {
  mkdirSync(dbPath, { recursive: true });
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const listeners: ((reason: string) => void)[] = [];
  let stopping = false;
  const startOn = async (port?: number) => {
    const server = new MongoMemoryServer({ instance: { dbPath, storageEngine: 'wiredTiger', ...(port && { port }) } });
    await withTimeout(server.start(port !== undefined), 120_000, 'mongodb-memory-server did not start in 120 s');
    server.instanceInfo?.instance.mongodProcess?.once('exit', (code, signal) => {
      if (!stopping) for (const listener of listeners) listener(`mongod exited (${signal ?? `exit code ${code}`})`);
    });
    return server;
  };
  let server = await startOn();
  const port = server.instanceInfo?.port;
  const uri = server.getUri().replace(/\/$/, '');
  // doCleanup: false keeps dbPath (the library only removes folders it made itself, but say so).
  const stopServer = async () => void (await server.stop({ doCleanup: false, force: false }).catch(() => false));
  return {
    kind: 'mongodb-memory-server',
    uri,
    description: `mongodb-memory-server (${uri}), data in ${dbPath}`,
    get pid() {
      return server.instanceInfo?.instance.mongodProcess?.pid;
    },
    stop: async () => {
      stopping = true;
      await stopServer();
    },
    onExit: (listener) => void listeners.push(listener),
    restart: async () => {
      stopping = true;
      await stopServer();
      stopping = false;
      server = await startOn(port);
    },
  };
}

function hasFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** Builds FerretDB once into .tools/bin (git-ignored), the way that yields a working binary. */
export function ensureFerretDbBuilt(log: (line: string) => void = console.log): void {
  if (existsSync(FERRETDB_BIN)) return;
  log(`database: building FerretDB ${FERRETDB_VERSION} into .tools/bin (first run only, ~2.5 min)`);
  const go = findGo();
  const moduleJson = execFileSync(go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
    cwd: tmpdir(),
    encoding: 'utf8',
  });
  const moduleDir = (JSON.parse(moduleJson) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error('go mod download did not report the module folder');
  rmSync(FERRETDB_SRC, { recursive: true, force: true });
  mkdirSync(join(WORKSPACE_ROOT, '.tools/bin'), { recursive: true });
  cpSync(moduleDir, FERRETDB_SRC, { recursive: true });
  makeWritable(FERRETDB_SRC);
  // The module zip lacks this file; without it the binary panics at start.
  writeFileSync(join(FERRETDB_SRC, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
  execFileSync(go, ['build', '-o', FERRETDB_BIN, './cmd/ferretdb'], { cwd: FERRETDB_SRC, stdio: 'inherit' });
}

function findGo(): string {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next location
    }
  }
  throw new Error('Go is not installed (needed once to build FerretDB)');
}

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    chmodSync(path, stats.mode | 0o200);
    if (stats.isDirectory()) makeWritable(path);
  }
  chmodSync(dir, statSync(dir).mode | 0o200);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not answer on port ${port} within ${timeoutMs / 1000} s`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

/** Sends `signal` (SIGTERM by default) and resolves once the process exited; SIGKILL after 5 s. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill(signal);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim())
      ?.trim()
      .slice(0, 300) ?? 'unknown error'
  );
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]+@/, '//***@');
}

/** `mongodb://host:port` + a database name, keeping any query string. */
export function withDatabaseName(serverUri: string, databaseName: string): string {
  const url = new URL(serverUri);
  url.pathname = `/${databaseName}`;
  return url.toString();
}
