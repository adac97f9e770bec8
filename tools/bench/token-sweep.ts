/**
 * Benchmark of the token sweep (not a test): N credentials in the Meta sandbox with latency added
 * to every Graph call, swept by the real command (`dist/apps/api/cli.js tokens check`, which queues
 * one BullMQ job per credential and runs its own worker): once alone, once with worker instances
 * (`main.js`, INSTANCE_ROLE=worker) sharing the queue, as a deployment with several workers runs
 * a sweep: one process queues, all of them check. Prints time per sweep, calls per second, peak
 * memory of each process (its VmHWM, read from /proc while it runs), CPU per check of each part,
 * and a baseline measured in the same run: the sandbox's raw `debug_token` throughput at the same
 * latency and total concurrency, without our jobs and database writes.
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
import { cpuSeconds, postgresCpuSeconds } from './process-cpu';

const ROOT = resolve(__dirname, '../..');
const API_CLI = resolve(ROOT, 'dist/apps/api/cli.js');
const API_MAIN = resolve(ROOT, 'dist/apps/api/main.js');
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

/** Resolves once the child prints `marker`; rejects if it exits before. */
async function readyLine(child: ChildProcess, marker: string, name: string): Promise<void> {
  let onExit!: (code: number | null) => void;
  await new Promise<void>((resolveStart, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes(marker) && resolveStart());
    onExit = (code) => reject(new Error(`${name} exited with ${code}`));
    child.on('exit', onExit);
  }).finally(() => child.off('exit', onExit));
}

async function startSandbox(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SANDBOX_MAIN], {
    env: { ...process.env, SANDBOX_PORT: String(port), META_APP_ID: APP_ID, META_APP_SECRET: APP_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await readyLine(child, 'Meta sandbox running', 'sandbox');
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

interface ProcessUsage {
  peakRssBytes: number;
  cpuSeconds: number;
}

interface SweepRun extends ProcessUsage {
  durationMs: number;
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

/** Peak memory and CPU of a child process, sampled from /proc until `stop` (the last reading before it exits). */
function watchUsage(child: ChildProcess): { stop(): ProcessUsage } {
  let peakRssBytes = 0;
  let usedCpuSeconds = 0;
  const sample = () => {
    peakRssBytes = Math.max(peakRssBytes, peakRssOf(child.pid ?? 0));
    usedCpuSeconds = Math.max(usedCpuSeconds, cpuSeconds(child.pid));
  };
  const sampler = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(sampler);
      sample();
      return { peakRssBytes, cpuSeconds: usedCpuSeconds };
    },
  };
}

function nodeArgs(file: string, args: string[] = []): string[] {
  return [...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? []), file, ...args];
}

/** The sweep: `tokens check` queues every due credential, checks with its own worker and waits for all of them. */
async function runSweep(env: NodeJS.ProcessEnv, concurrency: number): Promise<SweepRun> {
  const child = spawn(process.execPath, nodeArgs(API_CLI, ['tokens', 'check', '--json', '--concurrency', String(concurrency)]), { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Sampled from outside, so the command itself carries no benchmark code.
  const usage = watchUsage(child);
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  const { peakRssBytes, cpuSeconds: used } = usage.stop();
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`tokens check exited with ${code} and no summary: ${stdout}`);
  return { ...(JSON.parse(line) as Pick<SweepRun, 'durationMs' | 'counts'>), peakRssBytes, cpuSeconds: used };
}

/** A worker instance on the same queue (its own schedule off); resolves once it runs. */
async function startWorkerInstance(env: NodeJS.ProcessEnv, concurrency: number): Promise<{ markSweepStart(): void; stop(): Promise<ProcessUsage> }> {
  const child = spawn(process.execPath, nodeArgs(API_MAIN), {
    env: { ...env, INSTANCE_ROLE: 'worker', TOKEN_CHECK_ENABLED: 'false', TOKEN_CHECK_CONCURRENCY: String(concurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await readyLine(child, 'worker running', 'worker instance');
  const usage = watchUsage(child);
  let atStart = 0;
  return {
    // Its start-up is not the sweep's: CPU counts from the sweep's start.
    markSweepStart: () => {
      atStart = cpuSeconds(child.pid);
    },
    stop: async () => {
      const used = usage.stop();
      const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
      return { peakRssBytes: used.peakRssBytes, cpuSeconds: used.cpuSeconds - atStart };
    },
  };
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
  for (const file of [API_CLI, API_MAIN, SANDBOX_MAIN]) {
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
    // CPU of everything a sweep keeps busy, to see where a check's cost goes (the machine is shared).
    const servicesCpu = () => ({ database: cpuSeconds(database.pid) + postgresCpuSeconds(), redis: cpuSeconds(redis.pid), sandbox: cpuSeconds(sandbox.child.pid) });
    for (const concurrency of concurrencies) {
      for (const processes of processCounts) {
        await connections.updateMany({}, { $set: { nextCheckAt: new Date() } });
        const callsBefore = (await control<{ total: number }>(sandbox.url, 'GET', '/tokens/debug-calls')).total;
        // A fresh queue for each sweep; the processes of one sweep share it.
        const prefix = `bench_${randomBytes(4).toString('hex')}`;
        const workers = await Promise.all(Array.from({ length: processes - 1 }, () => startWorkerInstance({ ...cliEnv, REDIS_KEY_PREFIX: prefix }, concurrency)));
        const cpuBefore = servicesCpu();
        workers.forEach((worker) => worker.markSweepStart());
        const started = Date.now();
        let sweep: SweepRun;
        let wallMs: number;
        let cpuAfter: ReturnType<typeof servicesCpu>;
        let workerUsage: ProcessUsage[];
        try {
          sweep = await runSweep({ ...cliEnv, REDIS_KEY_PREFIX: prefix }, concurrency);
          wallMs = Date.now() - started;
          cpuAfter = servicesCpu();
        } finally {
          // Also when the sweep fails: no worker instance outlives the benchmark.
          workerUsage = await Promise.all(workers.map((worker) => worker.stop()));
        }
        const instances = [sweep, ...workerUsage];
        const perCheckMs = (seconds: number) => +((seconds * 1000) / count).toFixed(2);
        // From queueing the jobs to the last job's end, without Node and Nest start-up.
        const sweepMs = sweep.durationMs;
        const calls = (await control<{ total: number }>(sandbox.url, 'GET', '/tokens/debug-calls')).total - callsBefore;
        const base = await baselineMs(concurrency * processes);
        const label = processes > 1 ? `sweep + ${processes - 1} worker${processes > 2 ? 's' : ''} × ${concurrency}` : `sweep alone × ${concurrency}`;
        rows[label] = {
          'sweep s': +(sweepMs / 1000).toFixed(1),
          'calls/s': Math.round((calls / sweepMs) * 1000),
          'debug_token calls': calls,
          checked: sweep.counts['checked'],
          failed: sweep.counts['failed'],
          'peak RSS MB': instances.map((r) => Math.round(r.peakRssBytes / 1024 / 1024)).join(' / '),
          'process wall s': +(wallMs / 1000).toFixed(1),
          'baseline s': +(base / 1000).toFixed(1),
          'baseline calls/s': Math.round((count / base) * 1000),
          'time vs baseline': `${(sweepMs / base).toFixed(2)}×`,
          // Per credential; the sweeping command's start-up is included. "database" is FerretDB and, on its PostgreSQL backend, PostgreSQL.
          'CPU ms/check: ours': instances.map((r) => perCheckMs(r.cpuSeconds)).join(' / '),
          database: perCheckMs(cpuAfter.database - cpuBefore.database),
          redis: perCheckMs(cpuAfter.redis - cpuBefore.redis),
          sandbox: perCheckMs(cpuAfter.sandbox - cpuBefore.sandbox),
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
