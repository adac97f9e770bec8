/**
 * Benchmark of the token sweep (not a test): N credentials in the Meta sandbox with latency added
 * to every Graph call, swept by the real command (`dist/apps/api/cli.js tokens check`, which queues
 * one BullMQ job per credential and runs its own worker): once by one process, once by two at the
 * same time sharing the queue (so two workers split the jobs). Prints time per sweep, calls per
 * second, peak memory of each process (its VmHWM, read from /proc while it runs), and a baseline
 * measured in the same run: the sandbox's raw `debug_token` throughput at the same latency and
 * total concurrency, without our jobs and database writes.
 *
 *   npx nx run-many -t build -p api meta-sandbox
 *   npx tsx tools/bench/token-sweep.ts [--count 10000] [--latency-ms 50] [--concurrency 20] [--processes 1,2] [--sqlite]
 *
 * BENCH_NODE_FLAGS are given to each swept process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 *
 * Database: FerretDB on PostgreSQL when 127.0.0.1:5432 answers (or FERRETDB_POSTGRESQL_URL is
 * set; `--sqlite` skips it), else FerretDB on SQLite, else MONGODB_URI; Redis from
 * tools/redis/redis-launcher.ts (REDIS_URL, else a private redis-server). Both are printed with the figures.
 */
import { MetaGraphClient } from '../../libs/meta-graph/src';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import mongoose, { Types } from 'mongoose';
import { TokenCipher, tokenBinding } from '../../apps/api/src/common/crypto/token-cipher';
import type { ApiConfig } from '../../apps/api/src/config/api-config';
import { launchDatabase, withDatabaseName } from '../database/database-launcher';
import { launchRedis } from '../redis/redis-launcher';

const ROOT = resolve(__dirname, '../..');
const API_CLI = resolve(ROOT, 'dist/apps/api/cli.js');
const SANDBOX_MAIN = resolve(ROOT, 'dist/apps/meta-sandbox/main.js');
const APP_ID = '100000000000001';
const APP_SECRET = 'bench-app-secret';
const VERSION = 'v25.0';
const KEYS = `bench:${Buffer.alloc(32, 7).toString('base64')}`;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolveProbe) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.on('connect', () => (socket.destroy(), resolveProbe(true)));
    socket.on('error', () => resolveProbe(false));
    socket.on('timeout', () => (socket.destroy(), resolveProbe(false)));
  });

async function startSandbox(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SANDBOX_MAIN], {
    env: { ...process.env, SANDBOX_PORT: String(port), META_APP_ID: APP_ID, META_APP_SECRET: APP_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolveStart, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('Meta sandbox running') && resolveStart());
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function control<T>(sandboxUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface SweepRun {
  durationMs: number;
  peakRssBytes: number;
  counts: Record<string, number>;
}

/** The kernel's high-water mark of a process's resident memory (VmHWM), or 0 once it has gone. */
function peakRssOf(pid: number): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function runSweep(env: NodeJS.ProcessEnv, concurrency: number): Promise<SweepRun> {
  const child = spawn(process.execPath, [...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? []), API_CLI, 'tokens', 'check', '--json', '--concurrency', String(concurrency)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Sampled from outside, so the command itself carries no benchmark code; the mark only grows, the last reading is the peak.
  let peakRssBytes = 0;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, peakRssOf(child.pid ?? 0))), 50);
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  clearInterval(sampler);
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`tokens check exited with ${code} and no summary: ${stdout}`);
  return { ...(JSON.parse(line) as Omit<SweepRun, 'peakRssBytes'>), peakRssBytes };
}

/** The same debug_token calls straight from a Graph client, `concurrency` at a time: the ceiling. */
async function baseline(sandboxUrl: string, tokens: string[], concurrency: number): Promise<number> {
  const client = new MetaGraphClient({ graphBaseUrl: sandboxUrl, dialogBaseUrl: sandboxUrl, apiVersion: VERSION, appId: APP_ID, appSecret: APP_SECRET });
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tokens.length) await client.debugToken(tokens[next++]);
    }),
  );
  return Date.now() - started;
}

async function main(): Promise<void> {
  const count = Number(option('count', '10000'));
  const latencyMs = Number(option('latency-ms', '50'));
  const concurrencies = option('concurrency', '20').split(',').map(Number);
  const processCounts = option('processes', '1,2').split(',').map(Number);
  for (const file of [API_CLI, SANDBOX_MAIN]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run "npx nx run-many -t build -p api meta-sandbox" first`);
  }
  const env = { ...process.env };
  if (!process.argv.includes('--sqlite') && !env['MONGODB_URI'] && !env['FERRETDB_POSTGRESQL_URL'] && (await portAnswers(5432)))
    env['FERRETDB_POSTGRESQL_URL'] = 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = await launchDatabase({ env, skipMemoryServer: true, log: (line) => console.log(line) });
  const redis = await launchRedis({ log: (line) => console.log(line) });
  const sandbox = await startSandbox();
  const databaseUri = withDatabaseName(database.uri, `bench_tokens_${randomBytes(4).toString('hex')}`);
  const connection = await mongoose.createConnection(databaseUri).asPromise();
  try {
    console.log(`database: ${database.description}`);
    console.log(`redis: ${redis.description}`);
    console.log(`${count} credentials, +${latencyMs} ms on every Graph call, node ${process.version}`);
    const world = await control<{ businesses: Array<{ id: string; name: string }> }>(sandbox.url, 'GET', '/world');
    const businessId = world.businesses.find((b) => b.name === 'Acme Bakery')?.id ?? world.businesses[0].id;
    const tokens: string[] = [];
    for (let minted = 0; minted < count; minted += 5000) {
      tokens.push(...(await control<{ tokens: string[] }>(sandbox.url, 'POST', '/tokens/bulk', { businessId, count: Math.min(5000, count - minted) })).tokens);
    }
    const cipher = new TokenCipher({ encryptionKeys: [{ id: 'bench', key: Buffer.alloc(32, 7) }], activeEncryptionKey: { id: 'bench', key: Buffer.alloc(32, 7) } } as ApiConfig);
    const accountId = new Types.ObjectId();
    const connections = connection.collection('meta_connections');
    for (let i = 0; i < tokens.length; i += 2000) {
      await connections.insertMany(
        tokens.slice(i, i + 2000).map((token, j) => ({
          accountId,
          tokenFingerprint: `bench-${i + j}`,
          encryptedToken: cipher.encrypt(token, tokenBinding(String(accountId), `bench-${i + j}`)),
          source: 'manual',
          tokenType: 'SYSTEM_USER',
          scopes: [],
          grantedWabaIds: [],
          expiresAt: null,
          dataAccessExpiresAt: null,
          status: 'active',
          lastCheckedAt: null,
          lastError: null,
          nextCheckAt: new Date(),
          checkFailures: 0,
          lastCheckFailure: null,
        })),
      );
    }
    await control(sandbox.url, 'POST', '/faults', { endpoint: '*', count: 100_000_000, latencyMs });
    const cliEnv = {
      PATH: process.env['PATH'] ?? '',
      MONGODB_URI: databaseUri,
      TOKEN_ENCRYPTION_KEYS: KEYS,
      META_GRAPH_URL: sandbox.url,
      META_APP_ID: APP_ID,
      META_APP_SECRET: APP_SECRET,
      META_API_VERSION: VERSION,
      DATABASE_TIMEOUT_MS: '10000',
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
    };

    const rows: Record<string, Record<string, string | number>> = {};
    const baselines = new Map<number, number>();
    const baselineMs = async (inFlight: number) => {
      if (!baselines.has(inFlight)) baselines.set(inFlight, await baseline(sandbox.url, tokens, inFlight));
      return baselines.get(inFlight) as number;
    };
    for (const concurrency of concurrencies) {
      for (const processes of processCounts) {
        await connections.updateMany({}, { $set: { nextCheckAt: new Date() } });
        const callsBefore = (await control<{ total: number }>(sandbox.url, 'GET', '/tokens/debug-calls')).total;
        // A fresh queue for each sweep; the processes of one sweep share it.
        const prefix = `bench_${randomBytes(4).toString('hex')}`;
        const started = Date.now();
        const sweeps = await Promise.all(Array.from({ length: processes }, () => runSweep({ ...cliEnv, REDIS_KEY_PREFIX: prefix }, concurrency)));
        const wallMs = Date.now() - started;
        // From queueing the jobs to the last job's end (the slower process), without Node and Nest start-up.
        const sweepMs = Math.max(...sweeps.map((r) => r.durationMs));
        const calls = (await control<{ total: number }>(sandbox.url, 'GET', '/tokens/debug-calls')).total - callsBefore;
        const base = await baselineMs(concurrency * processes);
        const label = `${processes} worker${processes > 1 ? 's' : ''} × ${concurrency}`;
        rows[label] = {
          'sweep s': +(sweepMs / 1000).toFixed(1),
          'calls/s': Math.round((calls / sweepMs) * 1000),
          'debug_token calls': calls,
          checked: Math.max(...sweeps.map((r) => r.counts['checked'])),
          failed: Math.max(...sweeps.map((r) => r.counts['failed'])),
          'peak RSS MB': sweeps.map((r) => Math.round(r.peakRssBytes / 1024 / 1024)).join(' / '),
          'process wall s': +(wallMs / 1000).toFixed(1),
          'baseline s': +(base / 1000).toFixed(1),
          'baseline calls/s': Math.round((count / base) * 1000),
          'time vs baseline': `${(sweepMs / base).toFixed(2)}×`,
        };
        console.log(`${label}: ${JSON.stringify(rows[label])}`);
      }
    }
    console.table(rows);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    sandbox.child.kill();
    await database.stop();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
