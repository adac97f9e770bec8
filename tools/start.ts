/**
 * `npm start`: the whole product on embedded defaults — a database (see the launcher), the Meta
 * sandbox, and the API serving the built SPA — and the URL to open. Ctrl+C stops everything.
 * `--skip-build` reuses dist/ (the test runner builds once before the browser tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { launchDatabase, withDatabaseName, type LaunchedDatabase } from './database/database-launcher';

const root = resolve(__dirname, '..');
const apiPort = Number(process.env['API_PORT'] ?? 3000);
const sandboxPort = Number(process.env['SANDBOX_PORT'] ?? 4100);
const apiUrl = `http://localhost:${apiPort}`;
const sandboxUrl = `http://localhost:${sandboxPort}`;
const children: ChildProcess[] = [];
let database: LaunchedDatabase | undefined;
let stopping = false;

async function main(): Promise<void> {
  if (!process.argv.includes('--skip-build')) {
    log('building api, admin and meta-sandbox (cached after the first time)…');
    const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'admin', 'meta-sandbox', '--output-style=static'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the build failed');
  }

  database = await launchDatabase({ log });
  log(`database: ${database.description}`);
  const mongodbUri = process.env['MONGODB_URI'] ?? withDatabaseName(database.uri, 'waba_connect');

  const shared = { META_APP_ID: '100000000000001', META_APP_SECRET: 'sandbox-app-secret', META_CONFIG_ID: 'sandbox-config-1' };
  start('meta-sandbox', 'dist/apps/meta-sandbox/main.js', {
    ...shared,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_PUBLIC_URL: sandboxUrl,
    SANDBOX_WEBHOOK_URL: `${apiUrl}/api/webhooks/whatsapp`,
  });
  start('api', 'dist/apps/api/main.js', {
    ...shared,
    API_PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
    MONGODB_URI: mongodbUri,
    // The embedded database lives as long as this run, so a key made per run is enough here.
    TOKEN_ENCRYPTION_KEYS: process.env['TOKEN_ENCRYPTION_KEYS'] ?? `local:${randomBytes(32).toString('base64')}`,
    META_GRAPH_URL: sandboxUrl,
    META_DIALOG_URL: sandboxUrl,
    META_SDK_URL: `${sandboxUrl}/sdk.js`,
  });

  await Promise.all([waitFor(`${apiUrl}/api/health`), waitFor(`${sandboxUrl}/_sandbox/health`, `${sandboxUrl}/`)]);
  log('');
  log(`WABA Connect is running: ${apiUrl}`);
  log(`  API docs:     ${apiUrl}/api/docs`);
  log(`  Meta sandbox: ${sandboxUrl}/_sandbox`);
  log(`  Database:     ${database.description}`);
  log('Press Ctrl+C to stop.');
}

function start(name: string, script: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    log(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); shutting down`);
    void stop(1);
  });
  children.push(child);
}

async function waitFor(...urls: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const url of urls) {
      const ok = await fetch(url).then((r) => r.status < 500, () => false);
      if (ok) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${urls[0]} did not answer within 60 s`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
  await database?.stop();
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
