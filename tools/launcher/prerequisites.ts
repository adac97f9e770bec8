/**
 * Machine packages `npm start` and `npm test` need beyond npm's: redis-server (both) and Debian's
 * chromium (browser tests). Missing ones are installed with apt-get when we run as root (a fresh
 * CI machine or container); otherwise one line says what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findRedisServer } from '../redis/redis-launcher';

export interface MachinePackage {
  /** For people: "redis-server", "chromium". */
  name: string;
  debianPackage: string;
  isInstalled: () => boolean;
  /** What else would do instead of installing it, for the one-line hint. */
  alternative?: string;
}

/** What installing needs from the machine; tests pass a stand-in. */
export interface Machine {
  isRoot: boolean;
  hasAptGet: boolean;
  /** `apt-get update` runs at most once per process. */
  aptUpdated: boolean;
  /** Runs a command with the output shown; returns its exit status. */
  run(command: string, args: string[]): number;
}

export const thisMachine: Machine = {
  isRoot: process.getuid?.() === 0,
  hasAptGet: existsSync('/usr/bin/apt-get'),
  aptUpdated: false,
  run: (command, args) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status ?? 1,
};

/**
 * Undefined when the package is there (already, or installed now); otherwise the one line that
 * tells a person what to install.
 */
export function ensureMachinePackage(pkg: MachinePackage, log: (line: string) => void, machine: Machine = thisMachine): string | undefined {
  if (pkg.isInstalled()) return undefined;
  const hint = `${pkg.name} is missing: install it with \`sudo apt-get install -y ${pkg.debianPackage}\`${pkg.alternative ? ` or ${pkg.alternative}` : ''}`;
  if (!machine.isRoot || !machine.hasAptGet) return hint;
  log(`${pkg.name} is missing; installing the Debian package ${pkg.debianPackage}`);
  if (!machine.aptUpdated) machine.aptUpdated = machine.run('apt-get', ['update', '-qq']) === 0;
  const status = machine.run('apt-get', ['install', '-y', '-qq', pkg.debianPackage]);
  if (status === 0 && pkg.isInstalled()) return undefined;
  return `installing ${pkg.debianPackage} with apt-get failed; ${hint}`;
}

export const CHROMIUM: MachinePackage = {
  name: 'chromium',
  debianPackage: 'chromium',
  // playwright.config.mts launches this path (Playwright's own browser download is not used).
  isInstalled: () => existsSync('/usr/bin/chromium'),
};

export const REDIS_SERVER: MachinePackage = {
  name: 'redis-server',
  debianPackage: 'redis-server',
  isInstalled: () => findRedisServer() !== null,
  alternative: 'set REDIS_URL to a Redis server',
};
