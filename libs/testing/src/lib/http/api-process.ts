import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@waba/tools/database/database-launcher';

const ROOT = resolve(__dirname, '../../../../..');
export const API_MAIN = resolve(ROOT, 'dist/apps/api/main.js');

export interface ApiProcess {
  child: ChildProcess;
  /** Where an `http` instance answers (`localhost`, so a browser's cookies and origin match); none for a worker. */
  url?: string;
  /** Everything it has written to stdout so far (its log), from the start. */
  output(): string;
}

/** Told of every process started, before it is ready (the API e2e run's secret scan reads their logs). */
export type ApiProcessWatcher = (child: ChildProcess, url?: string) => void;

/**
 * The built API as its own process in one role (`npm test` builds `dist/` first), resolved once it
 * says it is ready: an `http` instance listening, or a worker running its jobs.
 */
export async function startApiProcess(role: 'http' | 'worker', settings: Record<string, string>, host = '127.0.0.1', watch?: ApiProcessWatcher): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://${host}:${port}`;
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...settings, INSTANCE_ROLE: role, API_PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  watch?.(child, role === 'http' ? url : undefined);
  const ready = role === 'http' ? 'listening on' : 'worker running';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start: ${output}`)), 30_000);
    child.stdout?.on('data', () => {
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}: ${output}`)));
  });
  return { child, url: role === 'http' ? url : undefined, output: () => output };
}
