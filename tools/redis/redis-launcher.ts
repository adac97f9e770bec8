/**
 * The one place that decides which Redis a run uses: REDIS_URL when set, else the machine's
 * `redis-server` binary (Debian's package `redis-server`) started on a free loopback port with its
 * own data folder and the append-only file on. Shared by `npm start`, the test set-up and the
 * benchmarks. Port 6379 belongs to the machine's own Redis: it is never used unless REDIS_URL
 * names it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopProcess } from '../database/database-launcher';

export interface LaunchedRedis {
  kind: 'external' | 'redis-server';
  url: string;
  /** One line for people: which server, where. */
  description: string;
  port?: number;
  dataDir?: string;
  /** Our server's process now (it changes with restarts); absent for REDIS_URL. */
  readonly pid?: number;
  /** Stops the server (an external one is left alone); the data folder is removed unless kept. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: the append-only file is all that survives (tests). */
  kill(): Promise<void>;
  /** Starts the same server again on the same port and data (after `kill` or a crash). */
  restart(): Promise<void>;
  /** `listener` runs whenever our server ends without `stop` or `restart` asking it to (a crash, `kill`). */
  onExit(listener: (reason: string) => void): void;
}

export interface RedisLaunchOptions {
  env?: NodeJS.ProcessEnv;
  /** Keep data here across runs (`npm start`); a temporary folder removed on stop otherwise. */
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

const INSTALL_HINT = 'install Redis (`apt-get install -y redis-server`) or set REDIS_URL';

export async function launchRedis(options: RedisLaunchOptions = {}): Promise<LaunchedRedis> {
  const env = options.env ?? process.env;
  const external = env['REDIS_URL'];
  if (external) {
    return {
      kind: 'external',
      url: external,
      description: `Redis from REDIS_URL (${external.replace(/\/\/[^@/]+@/, '//***@')})`,
      stop: async () => undefined,
      kill: notOurs,
      restart: notOurs,
      onExit: () => undefined,
    };
  }
  const binary = findRedisServer();
  if (!binary) throw new Error(`No Redis available: ${INSTALL_HINT}.`);
  const keepData = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'waba-redis-'));
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dataDir,
    // Durable enough for queued jobs (fsync every second); no RDB snapshots.
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    // BullMQ must never have its keys evicted.
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
  ];
  const listeners: ((reason: string) => void)[] = [];
  let expectedExit = false;
  const start = () => {
    const started = startServer(binary, args);
    started.once('exit', (code, signal) => {
      if (!expectedExit) for (const listener of listeners) listener(`redis-server exited (${signal ?? `exit code ${code}`})`);
    });
    return started;
  };
  let child = start();
  await waitUntilReady(port, child);
  const url = `redis://127.0.0.1:${port}`;
  return {
    kind: 'redis-server',
    url,
    port,
    dataDir,
    description: `redis-server at ${url} (data in ${dataDir}, append-only file on)`,
    get pid() {
      return child.pid;
    },
    stop: async () => {
      expectedExit = true;
      await stopProcess(child, 'SIGTERM');
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => stopProcess(child, 'SIGKILL'),
    restart: async () => {
      expectedExit = true;
      await stopProcess(child, 'SIGKILL');
      expectedExit = false;
      child = start();
      await waitUntilReady(port, child);
    },
    onExit: (listener) => void listeners.push(listener),
  };
}

const notOurs = async (): Promise<void> => {
  throw new Error('The Redis from REDIS_URL is not ours to stop or restart');
};

function startServer(binary: string, args: string[]): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

/** The redis-server binary, or null when the machine has none. */
export function findRedisServer(): string | null {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} (port ${port})`);
    if (await answersPing(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port} within 15 s`);
}

/** Ready means it answers PING with PONG (while loading the append-only file it answers LOADING). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
