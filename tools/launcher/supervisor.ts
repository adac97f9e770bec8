/**
 * Keeps `npm start`'s processes running: a child that dies is started again after a growing pause
 * (1 s, 2 s, 4 s … capped), and the pause goes back to 1 s once it has run for a while. Nothing
 * here ever deletes data: restarting means the same command, port and data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long counts as healthy: the next crash waits `initialMs` again. */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, stableAfterMs: 60_000 };

export class Backoff {
  private failures = 0;
  private startedAt: number;

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Call when the process (re)started. */
  started(): void {
    this.startedAt = this.now();
  }

  /** Call when it died: how long to wait before starting it again. */
  nextDelayMs(): number {
    if (this.now() - this.startedAt >= this.policy.stableAfterMs) this.failures = 0;
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** this.failures);
    this.failures += 1;
    return delay;
  }

  get restarts(): number {
    return this.failures;
  }
}

export type Log = (line: string) => void;

export interface SupervisedProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: Log;
  backoff?: BackoffPolicy;
  /** Also appends the child's output here (it still reaches the console). */
  logFile?: string;
  /** Runs after every (re)start, e.g. to record the new pid. */
  onStarted?: (child: ChildProcess) => void;
}

export interface SupervisedProcess {
  readonly pid: number | undefined;
  /** From now on an exit is final (shutting down: Ctrl+C may reach the child before `stop` does). */
  preventRestarts(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; no restart afterwards. */
  stop(graceMs?: number): Promise<void>;
}

/** A child process that is started again whenever it exits, until `stop`. */
export function superviseProcess(options: SupervisedProcessOptions): SupervisedProcess {
  const backoff = new Backoff(options.backoff);
  let child: ChildProcess;
  let stopping = false;
  let pendingRestart: NodeJS.Timeout | undefined;

  const logFile: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;

  const start = () => {
    child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', logFile ? 'pipe' : 'inherit', logFile ? 'pipe' : 'inherit'] });
    child.stdout?.on('data', (chunk: Buffer) => (process.stdout.write(chunk), logFile?.write(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => (process.stderr.write(chunk), logFile?.write(chunk)));
    const startedAt = Date.now();
    backoff.started();
    child.once('error', (error) => options.log(`${options.name} could not be started: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const ranFor = describeDuration(Date.now() - startedAt);
      const delay = backoff.nextDelayMs();
      options.log(`${options.name} exited (${signal ?? `exit code ${code}`}) at ${clockTime()} after ${ranFor}; restarting in ${delay / 1000} s (restart ${backoff.restarts})`);
      pendingRestart = setTimeout(() => {
        pendingRestart = undefined;
        if (stopping) return;
        start();
        options.log(`${options.name} restarted (pid ${child.pid})`);
      }, delay);
    });
    options.onStarted?.(child);
  };
  start();

  return {
    get pid() {
      return child.pid;
    },
    preventRestarts: () => {
      stopping = true;
      clearTimeout(pendingRestart);
    },
    stop: async (graceMs = 10_000) => {
      stopping = true;
      clearTimeout(pendingRestart);
      await stopChild(child, graceMs);
      await new Promise<void>((done) => (logFile ? logFile.end(done) : done()));
    },
  };
}

/** A server a launcher started (database, Redis), restarted in place when it dies. */
export interface RestartableServer {
  onExit?(listener: (reason: string) => void): void;
  restart(): Promise<void>;
}

/**
 * Restarts `server` on the same port and data whenever it dies; a failed restart is tried again
 * with back-off. Returns a function that ends the supervision (call it before stopping the server).
 */
export function superviseServer(name: string, server: RestartableServer, log: Log, options: { policy?: BackoffPolicy; onRestarted?: () => void } = {}): () => void {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const backoff = new Backoff(policy);
  let stopping = false;
  // One restart at a time: a server dying while being restarted reports through both paths.
  let restarting = false;
  let pending: NodeJS.Timeout | undefined;
  const scheduleRestart = (reason: string) => {
    if (stopping || pending) return;
    const delay = backoff.nextDelayMs();
    log(`${reason} at ${clockTime()}; restarting ${name} on the same port and data in ${delay / 1000} s (restart ${backoff.restarts})`);
    pending = setTimeout(() => {
      pending = undefined;
      if (stopping) return;
      restarting = true;
      server.restart().then(
        () => {
          restarting = false;
          backoff.started();
          log(`${name} restarted`);
          options.onRestarted?.();
        },
        (error: Error) => {
          restarting = false;
          scheduleRestart(`${name} did not restart (${error.message})`);
        },
      );
    }, delay);
  };
  const onExit = (reason: string) => {
    if (!restarting) scheduleRestart(reason);
  };
  server.onExit?.(onExit);
  return () => {
    stopping = true;
    clearTimeout(pending);
  };
}

export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

function clockTime(): string {
  return new Date().toTimeString().slice(0, 8);
}

function describeDuration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}
