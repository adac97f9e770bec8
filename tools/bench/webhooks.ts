/**
 * `npm run bench:webhooks`: our POST /api/webhooks/whatsapp against a bare node:http baseline doing
 * the same signature check and the same single insert into the same database server, measured in
 * one run: saturation throughput (50 connections, autocannon) and latency at a steady 300
 * requests/s (steady-load.ts: evenly spaced, latency from when each request was due), for a
 * single inbound message and for a batch of 50 statuses. Prints both, and the ratio. The fixed
 * rate runs BENCH_ROUNDS times (default 3) per target, ours and the baseline taking turns, and the
 * median round is what is compared. Ours runs as one `http` process and BENCH_WORKERS `worker`
 * processes (default "1,2": both set-ups in turn), with a private Redis; it also prints the time
 * from the 200 to the delivery being applied, how long the backlog takes to drain once the load
 * stops, and at the fixed rate the CPU time each part spends per delivery: the answering process,
 * the workers, Redis, the database server and, on FerretDB's PostgreSQL backend, PostgreSQL (CPU
 * time holds up on a busy machine; it is what the p99 competes with on a shared one).
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mongo } from 'mongoose';
import { pendingJobs, WEBHOOKS_QUEUE } from '../../apps/api/src/jobs/job-queues';
import { signWebhookPayload } from '../../libs/meta-graph/src/lib/signatures';
import { seedRoutableNumber } from '../../libs/testing/src/lib/database/webhook-fixtures';
import { freePort, launchDatabase, withDatabaseName } from '../database/database-launcher';
import { launchRedis } from '../redis/redis-launcher';
import { cpuSeconds, postgresCpuSeconds } from './process-cpu';
import { quantile, steadyLoad } from './steady-load';
import { payload, type PayloadKind } from './webhook-payloads';

const ROOT = resolve(__dirname, '../..');
const SECRET = 'bench-app-secret';
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
/** Fixed-rate runs per target and payload (BENCH_ROUNDS): the median stands for them. */
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const FIXED_RATE = 300;
const children: ChildProcess[] = [];

/** autocannon, closed loop: each connection sends its next request once answered (saturation); with `rate`, the warm-up. */
function run(url: string, kind: PayloadKind, ids: { wabaId: string; phoneNumberId: string }, options: { connections: number; rate?: number }) {
  return autocannon({
    url: `${url}/api/webhooks/whatsapp`,
    method: 'POST',
    connections: options.connections,
    duration: SECONDS,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        setupRequest: (request) => {
          const body = payload(kind, ids.wabaId, ids.phoneNumberId);
          return { ...request, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookPayload(body, SECRET) } };
        },
      },
    ],
  });
}

/** The fixed rate: 300 requests per second, spread evenly over each second (steady-load.ts), on 30 connections. */
function steadyRate(url: string, kind: PayloadKind, ids: { wabaId: string; phoneNumberId: string }) {
  return steadyLoad({
    url: `${url}/api/webhooks/whatsapp`,
    rate: FIXED_RATE,
    seconds: SECONDS,
    connections: 30,
    next: () => {
      const body = payload(kind, ids.wabaId, ids.phoneNumberId);
      return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookPayload(body, SECRET) } };
    },
  });
}

function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout?.resume();
  children.push(child);
  return child;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function profileArgs(): string[] {
  const dir = process.env['BENCH_PROFILE_DIR'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** p50/p99 of (appliedAt - receivedAt) over the deliveries received since `since`: the 200 to applied. */
async function applyDelays(uri: string, since: Date): Promise<{ p50: number; p99: number; count: number }> {
  const client = await mongo.MongoClient.connect(uri);
  try {
    const docs = await client
      .db()
      .collection('webhook_deliveries')
      .find({ receivedAt: { $gte: since }, status: 'applied' }, { projection: { receivedAt: 1, appliedAt: 1 } })
      .toArray();
    const delays = docs.map((d) => (d['appliedAt'] as Date).getTime() - (d['receivedAt'] as Date).getTime()).sort((a, b) => a - b);
    return { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), count: delays.length };
  } finally {
    await client.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** The benchmark's databases go once measured: left on a shared PostgreSQL, each run's 200 MB slowed the next runs down. */
async function dropDatabase(uri: string): Promise<void> {
  const client = await mongo.MongoClient.connect(uri);
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

async function countDocuments(uri: string, collection: string, filter: object): Promise<number> {
  const client = await mongo.MongoClient.connect(uri);
  try {
    return await client.db().collection(collection).countDocuments(filter);
  } finally {
    await client.close();
  }
}

/**
 * Seconds from now until every acknowledged delivery is applied, up to 10 minutes. Polls the
 * webhook queue's counts in Redis (a job ends once its delivery is applied and out of the inbox),
 * then confirms with one count of the inbox: counting the inbox four times a second would itself
 * load the database being measured (FerretDB reads every entry to count them).
 */
async function secondsUntilApplied(queue: Queue, uri: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 600_000) {
    if ((await pendingJobs(queue)) === 0 && (await countDocuments(uri, 'webhook_inbox', {})) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number(((Date.now() - started) / 1000).toFixed(1));
}

function postgresAnswers(): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(5432, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function main(): Promise<void> {
  console.log('building the API…');
  if (spawnSync('npx', ['nx', 'build', 'api', '--output-style=static'], { cwd: ROOT, stdio: 'ignore' }).status !== 0) throw new Error('build failed');
  const env = { ...process.env };
  if (!env['MONGODB_URI'] && !env['FERRETDB_POSTGRESQL_URL'] && (await postgresAnswers())) {
    env['FERRETDB_POSTGRESQL_URL'] = 'postgres://postgres@127.0.0.1:5432/test';
  }
  const database = await launchDatabase({ env, log: (line) => console.log(line) });
  const redis = await launchRedis({ env: {} });
  console.log(`database: ${database.description}; redis: ${redis.description}`);
  const workerCounts = (process.env['BENCH_WORKERS'] ?? '1,2').split(',').map(Number);
  const kinds = (process.env['BENCH_PAYLOADS']?.split(',') ?? ['message', 'statuses50']) as PayloadKind[];
  const rows: Array<Record<string, string | number>> = [];
  try {
    const baselineUri = withDatabaseName(database.uri, `bench_baseline_${Date.now()}`);
    const basePort = await freePort();
    // Node itself (not npx) so that killing the child stops the server.
    const baseline = startProcess(process.execPath, ['--import', 'tsx', 'tools/bench/baseline-webhook-server.ts', String(basePort), baselineUri, SECRET], {});
    const baselineUrl = `http://127.0.0.1:${basePort}`;
    await waitForHttp(baselineUrl);

    for (const workers of workerCounts) {
      const apiUri = withDatabaseName(database.uri, `bench_api_${workers}w_${Date.now()}`);
      const ids = await seedRoutableNumber(apiUri);
      const apiPort = await freePort();
      const settings = {
        MONGODB_URI: apiUri,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `bench${workers}w${Date.now()}`,
        META_APP_SECRET: SECRET,
        LOG_LEVEL: 'warn',
        SPA_DIR: 'does-not-exist',
        TOKEN_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 5).toString('base64')}`,
        TOKEN_CHECK_ENABLED: 'false',
      };
      const processes = [
        // BENCH_PROFILE_DIR: our processes write V8 CPU profiles there when they stop (open in Chrome DevTools).
        startProcess(process.execPath, [...profileArgs(), 'dist/apps/api/main.js'], { ...settings, INSTANCE_ROLE: 'http', API_PORT: String(apiPort) }),
        ...Array.from({ length: workers }, () => startProcess(process.execPath, [...profileArgs(), 'dist/apps/api/main.js'], { ...settings, INSTANCE_ROLE: 'worker' })),
      ];
      const ourUrl = `http://127.0.0.1:${apiPort}`;
      const queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const webhookQueue = new Queue(WEBHOOKS_QUEUE, { connection: queueConnection, prefix: `${settings.REDIS_KEY_PREFIX}:jobs` });
      await waitForHttp(`${ourUrl}/api/health`);
      const ours = `ours, 1 http + ${workers} worker${workers > 1 ? 's' : ''}`;

      for (const kind of kinds) {
        const parts = ['answering', 'workers', 'redis', 'database', 'postgres'] as const;
        const cpuNow = (server: Target) => ({
          answering: cpuSeconds(server.answering),
          workers: server.isOurs ? processes.slice(1).reduce((sum, p) => sum + cpuSeconds(p.pid), 0) : 0,
          redis: server.isOurs ? cpuSeconds(redis.pid) : 0,
          database: cpuSeconds(database.pid),
          postgres: postgresCpuSeconds(),
        });
        interface Round {
          p50: number;
          p99: number;
          sent: number;
          errors: number;
          drained: number | null;
        }
        const newTarget = (name: string, url: string, isOurs: boolean, answering: number | undefined) => ({
          name,
          url,
          isOurs,
          answering,
          /** CPU seconds of each part over this target's fixed-rate runs (what its p99 met), and the deliveries they took. */
          usage: { answering: 0, workers: 0, redis: 0, database: 0, postgres: 0, deliveries: 0 },
          saturation: { rps: 0, errors: 0, cpuMs: 0, drained: null as number | null },
          rounds: [] as Round[],
        });
        const targets = [newTarget(ours, ourUrl, true, processes[0].pid), newTarget('node:http baseline', baselineUrl, false, baseline.pid)];
        type Target = (typeof targets)[number];
        // One load for one target, with the CPU time (not wall time) of each part; ours' runs last
        // until its backlog is applied, and say how long that took after the load stopped.
        const measured = async <T>(server: Target, load: () => PromiseLike<T>) => {
          const before = cpuNow(server);
          const result = await load();
          const drained = server.isOurs ? await secondsUntilApplied(webhookQueue, apiUri) : null;
          const after = cpuNow(server);
          return { result, drained, cpu: Object.fromEntries(parts.map((part) => [part, after[part] - before[part]])) as Record<(typeof parts)[number], number> };
        };
        for (const server of targets) {
          await run(server.url, kind, ids, { connections: 10, rate: 100 }); // warm-up
          if (server.isOurs) await secondsUntilApplied(webhookQueue, apiUri);
          // Ours applies after the 200: how long the backlog takes to drain once the load stops
          // (the fixed-rate runs then start from an empty inbox, as after any burst).
          const { result: saturated, drained, cpu } = await measured(server, () => run(server.url, kind, ids, { connections: 50 }));
          // CPU per request of the process answering (the http instance, or the baseline): what
          // saturation throughput follows on a machine this busy, and what noise moves least.
          const cpuMs = (cpu.answering * 1000) / Math.max(1, saturated.requests.total);
          server.saturation = { rps: saturated.requests.average, errors: saturated.non2xx + saturated.errors, cpuMs, drained };
        }
        // The fixed rate in ROUNDS rounds, ours and the baseline taking turns, so that both meet
        // the machine in the same states; the median round stands for each (one 10 s p99 is the
        // 30th slowest request, and rounds of the same server differed more than 4×).
        const fixedStarted = new Date();
        for (let round = 0; round < ROUNDS; round++) {
          for (const server of targets) {
            const { result: fixed, drained, cpu } = await measured(server, () => steadyRate(server.url, kind, ids));
            server.rounds.push({ p50: fixed.latency.p50, p99: fixed.latency.p99, sent: fixed.sent, errors: fixed.non2xx + fixed.errors, drained });
            for (const part of parts) server.usage[part] += cpu[part];
            server.usage.deliveries += fixed.ok;
          }
        }
        const delays = await applyDelays(apiUri, fixedStarted);
        // What the ratio row compares: saturation, and the median round at the fixed rate.
        const figureOf = ({ saturation, rounds }: Target) => ({ rps: saturation.rps, cpuMs: saturation.cpuMs, p50: median(rounds.map((r) => r.p50)), p99: median(rounds.map((r) => r.p99)) });
        for (const server of targets) {
          const { name, isOurs, usage, saturation: sat, rounds } = server;
          const perDelivery = (seconds: number) => Number(((seconds * 1000) / Math.max(1, usage.deliveries)).toFixed(2));
          const figure = figureOf(server);
          rows.push({
            payload: kind,
            target: name,
            'req/s at saturation': Math.round(sat.rps),
            'CPU ms/req (answering process)': Number(sat.cpuMs.toFixed(3)),
            'p50 ms @300/s': figure.p50,
            'p99 ms @300/s': figure.p99,
            'p99 ms per round': rounds.map((r) => r.p99).join(' / '),
            'sent @300/s': rounds.reduce((sum, r) => sum + r.sent, 0),
            'non-2xx/errors': sat.errors + rounds.reduce((sum, r) => sum + r.errors, 0),
            '200→applied p50/p99 ms @300/s': isOurs ? `${delays.p50} / ${delays.p99}` : '',
            'drained after saturation (s)': sat.drained ?? '',
            'drained after @300/s (s)': isOurs ? Math.max(...rounds.map((r) => r.drained ?? 0)) : '',
            // What the p99 competes with: the CPU every part spends per delivery at the fixed rate (FerretDB's
            // PostgreSQL backend does its share in PostgreSQL's own processes; 0 for parts a target lacks).
            'CPU ms/delivery @300/s: answering / workers / Redis / database / PostgreSQL = total': `${parts.map((part) => perDelivery(usage[part])).join(' / ')} = ${perDelivery(parts.reduce((sum, part) => sum + usage[part], 0))}`,
          });
        }
        const [a, b] = targets.map(figureOf);
        rows.push({
          payload: kind,
          target: `ratio (${workers}w)/baseline`,
          'req/s at saturation': Number((a.rps / b.rps).toFixed(2)),
          'CPU ms/req (answering process)': Number((a.cpuMs / Math.max(b.cpuMs, 0.001)).toFixed(2)),
          'p50 ms @300/s': Number((a.p50 / Math.max(b.p50, 1)).toFixed(2)),
          'p99 ms @300/s': Number((a.p99 / Math.max(b.p99, 1)).toFixed(2)),
        });
      }
      const archived = await countDocuments(apiUri, 'webhook_deliveries', {});
      const applied = await countDocuments(apiUri, 'webhook_deliveries', { status: 'applied' });
      console.log(`${ours}: ${archived} deliveries archived, ${applied} applied, ${await countDocuments(apiUri, 'webhook_inbox', {})} still in the inbox`);
      await webhookQueue.close();
      queueConnection.disconnect();
      await Promise.all(processes.map(stopProcess));
      await dropDatabase(apiUri);
    }
    await dropDatabase(baselineUri);
    console.log(`\nWebhook ingest, ${SECONDS} s per measurement, database ${database.kind}, Redis ${redis.kind}`);
    console.table(rows);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await redis.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
