/**
 * `runtime.json` in the data folder: written by a running `npm start` (mode 0600) so operator
 * commands reach the same database and Redis without settings, and so a second `npm start` on the
 * same folder can tell that one is already running. It never holds the encryption key itself,
 * only the path of the key file.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { DataFolder } from './data-folder';

export interface RuntimeInfo {
  /** The launcher's pid: the file describes a live `npm start` only while that process runs. */
  pid: number;
  startedAt: string;
  apiUrl: string;
  sandboxUrl: string;
  /** The API's settings an operator command needs (MONGODB_URI, REDIS_URL, META_*), never the key. */
  env: Record<string, string>;
  /** Where TOKEN_ENCRYPTION_KEYS is kept; absent when it came from the environment instead. */
  tokenEncryptionKeysFile?: string;
  /** The processes the launcher runs now, so a later start can stop them if the launcher was killed. */
  processes: RuntimeProcess[];
}

export interface RuntimeProcess {
  name: string;
  pid: number;
  /** Part of the process's command line, checked before signalling a pid that may have been reused. */
  commandMarker: string;
}

export function writeRuntimeFile(folder: DataFolder, info: RuntimeInfo): void {
  const temp = `${folder.runtimeFile}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, folder.runtimeFile);
}

export function readRuntimeFile(folder: DataFolder): RuntimeInfo | undefined {
  if (!existsSync(folder.runtimeFile)) return undefined;
  try {
    return JSON.parse(readFileSync(folder.runtimeFile, 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
}

/** Removes the file only when it is this process's own (a newer start may have replaced it). */
export function removeOwnRuntimeFile(folder: DataFolder): void {
  if (readRuntimeFile(folder)?.pid === process.pid) rmSync(folder.runtimeFile, { force: true });
}

/** The running `npm start` on this folder, if any (a file left by a killed launcher does not count). */
export function runningLauncher(folder: DataFolder): RuntimeInfo | undefined {
  const info = readRuntimeFile(folder);
  return info && info.pid !== process.pid && isAlive(info.pid) ? info : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A launcher killed with SIGKILL leaves its children running on the same data (two Redis servers
 * appending to one file would corrupt it): stop those the stale runtime file names, when their
 * command line still matches. Returns the names of the processes stopped.
 */
export async function stopLeftoverProcesses(folder: DataFolder): Promise<string[]> {
  const info = readRuntimeFile(folder);
  if (!info || isAlive(info.pid)) return [];
  const leftovers = info.processes.filter((p) => isAlive(p.pid) && commandLineOf(p.pid).includes(p.commandMarker));
  for (const leftover of leftovers) signal(leftover.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (leftovers.some((p) => isAlive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const leftover of leftovers) if (isAlive(leftover.pid)) signal(leftover.pid, 'SIGKILL');
  rmSync(folder.runtimeFile, { force: true });
  return leftovers.map((p) => `${p.name} (pid ${p.pid})`);
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    // No /proc (macOS): never signal a pid we cannot identify.
    return '';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
