/**
 * `npm start`: the whole product as a small deployment — a database, Redis, the Meta sandbox and
 * the API serving the built SPA — with everything they keep in one data folder (`.data/`, or
 * WABA_DATA_DIR), so a restart finds the same tenants, numbers and credentials. A child that
 * crashes is started again (see launcher/supervisor.ts); Ctrl+C stops everything.
 *   --skip-build  reuse dist/ (the test runner builds once before the browser tests)
 *   --fresh       delete the data folder's contents first (as `npm run reset` does)
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchPersistentDatabase, withDatabaseName, type PersistentDatabase } from './database/database-launcher';
import { dataFolder, ensureDataFolder, loadOrCreateEncryptionKeys, resetDataFolder } from './launcher/data-folder';
import { ensureMachinePackage, REDIS_SERVER } from './launcher/prerequisites';
import { removeOwnRuntimeFile, runningLauncher, stopLeftoverProcesses, writeRuntimeFile, type RuntimeProcess } from './launcher/runtime-file';
import { superviseProcess, superviseServer, type SupervisedProcess } from './launcher/supervisor';
import { launchRedis, type LaunchedRedis } from './redis/redis-launcher';

const root = resolve(__dirname, '..');
const apiPort = Number(process.env['API_PORT'] ?? 3000);
const sandboxPort = Number(process.env['SANDBOX_PORT'] ?? 4100);
const apiUrl = `http://localhost:${apiPort}`;
const sandboxUrl = `http://localhost:${sandboxPort}`;
const folder = dataFolder();

/** What is running, for an orderly stop and for the runtime file. */
const running: {
  database?: PersistentDatabase;
  redis?: LaunchedRedis;
  api?: SupervisedProcess;
  sandbox?: SupervisedProcess;
  endSupervision: (() => void)[];
  keyFile?: string;
  apiEnv?: Record<string, string>;
} = { endSupervision: [] };
let stopping = false;

async function main(): Promise<void> {
  if (!process.argv.includes('--skip-build')) build();
  ensureDataFolder(folder);
  // Each run's output replaces the last run's (the folder keeps data, not history).
  rmSync(folder.logs, { recursive: true, force: true });
  mkdirSync(folder.logs, { mode: 0o700 });
  const other = runningLauncher(folder);
  if (other) throw new Error(`npm start is already running on ${folder.root} (pid ${other.pid}, ${other.apiUrl}); stop it first or set WABA_DATA_DIR to another folder`);
  const leftovers = await stopLeftoverProcesses(folder);
  if (leftovers.length) log(`stopped processes a killed earlier run left behind: ${leftovers.join(', ')}`);
  if (process.argv.includes('--fresh')) reset();
  await ensurePortsFree();

  const keys = encryptionKeys();
  const noRedis = process.env['REDIS_URL'] ? undefined : ensureMachinePackage(REDIS_SERVER, log);
  if (noRedis) throw new Error(noRedis);
  const [database, redis] = await Promise.all([launchPersistentDatabase({ dataDir: folder.database, log: (line) => log(line) }), launchRedis({ dataDir: folder.redis, log })]);
  running.database = database;
  running.redis = redis;
  log(`database: ${database.description}`);
  log(`redis: ${redis.description}`);
  running.endSupervision.push(superviseServer('the database', database, log, { onRestarted: recordRuntime }), superviseServer('Redis', redis, log, { onRestarted: recordRuntime }));

  const mongodbUri = process.env['MONGODB_URI'] ?? withDatabaseName(database.uri, 'waba_connect');
  const meta = {
    META_APP_ID: '100000000000001',
    META_APP_SECRET: 'sandbox-app-secret',
    META_CONFIG_ID: 'sandbox-config-1',
  };
  running.apiEnv = {
    ...meta,
    API_PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
    MONGODB_URI: mongodbUri,
    REDIS_URL: redis.url,
    META_GRAPH_URL: sandboxUrl,
    META_DIALOG_URL: sandboxUrl,
    META_SDK_URL: `${sandboxUrl}/sdk.js`,
    // A person reads these logs: one readable line per request (the API logs JSON in production).
    LOG_FORMAT: process.env['LOG_FORMAT'] ?? (process.env['NODE_ENV'] === 'production' ? 'json' : 'pretty'),
  };
  running.sandbox = superviseNode('meta-sandbox', 'dist/apps/meta-sandbox/main.js', {
    ...meta,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_PUBLIC_URL: sandboxUrl,
    SANDBOX_WEBHOOK_URL: `${apiUrl}/api/webhooks/whatsapp`,
    SANDBOX_STATE_FILE: folder.sandboxWorld,
  });
  running.api = superviseNode('api', 'dist/apps/api/main.js', { ...running.apiEnv, TOKEN_ENCRYPTION_KEYS: keys });
  recordRuntime();

  await Promise.all([waitFor(`${apiUrl}/api/health`), waitFor(`${sandboxUrl}/_sandbox/health`, `${sandboxUrl}/`)]);
  log('');
  log(`WABA Connect is running: ${apiUrl}`);
  log(`  API docs:     ${apiUrl}/api/docs`);
  log(`  Meta sandbox: ${sandboxUrl}/_sandbox`);
  log(`  Database:     ${database.description}`);
  log(`  Redis:        ${redis.description}`);
  log(`  Data:         ${folder.root} (kept across restarts; \`npm run reset\` or \`npm start -- --fresh\` starts empty)`);
  log(`  Logs:         ${folder.logs} (this run's API and sandbox output, also shown here)`);
  log('Press Ctrl+C to stop.');
}

function build(): void {
  log('building api, admin and meta-sandbox (cached after the first time)…');
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'admin', 'meta-sandbox', '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the build failed');
}

function reset(): void {
  const keepKey = Boolean(process.env['MONGODB_URI']);
  const deleted = resetDataFolder(folder, { keepKey });
  log(`--fresh: deleted ${deleted.length ? deleted.join(', ') : 'nothing (the folder was empty)'} in ${folder.root}; starting empty`);
  if (keepKey) log('--fresh: kept the token-encryption key: the database at MONGODB_URI was not emptied and its credentials need it');
}

/** TOKEN_ENCRYPTION_KEYS from the environment, else the data folder's key file (made on first start). */
function encryptionKeys(): string {
  const fromEnv = process.env['TOKEN_ENCRYPTION_KEYS'];
  if (fromEnv) {
    log('token-encryption keys: from TOKEN_ENCRYPTION_KEYS');
    return fromEnv;
  }
  const { value, created } = loadOrCreateEncryptionKeys(folder);
  running.keyFile = folder.keyFile;
  log(`token-encryption key: ${created ? 'created' : 'read from'} ${folder.keyFile} (mode 0600; the stored credentials need it)`);
  return value;
}

function superviseNode(name: string, script: string, env: Record<string, string>): SupervisedProcess {
  return superviseProcess({
    logFile: join(folder.logs, `${name}.log`),
    name,
    command: process.execPath,
    args: [script],
    cwd: root,
    env: { ...process.env, ...env },
    log,
    onStarted: () => setImmediate(recordRuntime),
  });
}

/** Rewritten whenever a pid changes, so it always names the processes running now. */
function recordRuntime(): void {
  if (stopping || !running.apiEnv) return;
  const processes: RuntimeProcess[] = [];
  const add = (name: string, pid: number | undefined, commandMarker: string) => pid && processes.push({ name, pid, commandMarker });
  add('api', running.api?.pid, 'dist/apps/api/main.js');
  add('meta-sandbox', running.sandbox?.pid, 'dist/apps/meta-sandbox/main.js');
  add('redis', running.redis?.pid, 'redis-server');
  add('database', running.database?.pid, running.database?.kind === 'mongodb-memory-server' ? 'mongod' : 'ferretdb');
  const { MONGODB_URI, REDIS_URL, META_APP_ID, META_APP_SECRET, META_CONFIG_ID, META_GRAPH_URL, META_DIALOG_URL, META_SDK_URL } = running.apiEnv;
  writeRuntimeFile(folder, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    apiUrl,
    sandboxUrl,
    env: { MONGODB_URI, REDIS_URL, META_APP_ID, META_APP_SECRET, META_CONFIG_ID, META_GRAPH_URL, META_DIALOG_URL, META_SDK_URL },
    tokenEncryptionKeysFile: running.keyFile,
    processes,
  });
}

/** Fails before starting anything when a port is taken, instead of a restart loop later. */
async function ensurePortsFree(): Promise<void> {
  for (const [name, port] of [
    ['API_PORT', apiPort],
    ['SANDBOX_PORT', sandboxPort],
  ] as const) {
    if (!(await canListen(port))) throw new Error(`port ${port} is in use; stop what runs there or set ${name}`);
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, () => server.close(() => done(true)));
  });
}

async function waitFor(...urls: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const url of urls) {
      const ok = await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      );
      if (ok) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${urls[0]} did not answer within 120 s`);
}

/** The API first (no requests half-served), then the sandbox (saves its world), then the servers. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (running.apiEnv) log('stopping the API, the sandbox, Redis and the database…');
  for (const end of running.endSupervision) end();
  running.api?.preventRestarts();
  running.sandbox?.preventRestarts();
  await running.api?.stop();
  await running.sandbox?.stop();
  await Promise.all([running.redis?.stop(), running.database?.stop()]);
  removeOwnRuntimeFile(folder);
  if (running.apiEnv) log(`stopped; the data stays in ${folder.root}`);
  process.exit(code);
}

function log(line: string): void {
  console.log(line ? `[start] ${line}` : '');
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  console.error(`[start] ${(error as Error).message}`);
  void stop(1);
});
