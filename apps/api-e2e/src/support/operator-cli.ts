// The built operator CLI (dist/apps/api/cli.js) and other built entry points as separate processes,
// with the test app's database, Redis (and key prefix: the same queues), keys and sandbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_ID, APP_SECRET, VERSION } from '@waba/testing';
import { ApiConfig } from '@waba/api/config/api-config';
import type { Sandbox } from './meta-sandbox';
import type { TestApp } from './test-app';
import { runSecretScan } from './run-secret-scan';

export const CLI = resolve(__dirname, '../../../../dist/apps/api/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
}

export function processEnv(api: TestApp, sandbox: Sandbox, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const config = api.app.get(ApiConfig);
  return {
    PATH: process.env['PATH'] ?? '',
    MONGODB_URI: api.databaseUri,
    REDIS_URL: config.REDIS_URL,
    REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
    TOKEN_ENCRYPTION_KEYS: config.TOKEN_ENCRYPTION_KEYS,
    META_GRAPH_URL: sandbox.baseUrl,
    META_DIALOG_URL: sandbox.baseUrl,
    META_APP_ID: APP_ID,
    META_APP_SECRET: APP_SECRET,
    META_API_VERSION: VERSION,
    ...env,
  };
}

export function spawnBuilt(file: string, args: string[], env: NodeJS.ProcessEnv): CliRun {
  if (!existsSync(file)) throw new Error(`${file} is missing: build the API first (npx nx build api; npm test does it)`);
  const child = spawn(process.execPath, [file, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  runSecretScan.watchProcess(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolveRun) => child.on('exit', (code) => resolveRun({ code, stdout, stderr })));
  return { child, done };
}

/** `cli.js <args>` as its own process (its own Nest context); `env` adds or overrides settings. */
export function runCli(api: TestApp, sandbox: Sandbox, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return spawnBuilt(CLI, args, processEnv(api, sandbox, env)).done;
}
