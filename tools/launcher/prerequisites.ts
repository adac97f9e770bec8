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

let aptUpdated = false;

/** True when the package is there (already, or installed now). */
export function ensureMachinePackage(pkg: MachinePackage, log: (line: string) => void): boolean {
  if (pkg.isInstalled()) return true;
  const hint = `${pkg.name} is missing: install it with \`sudo apt-get install -y ${pkg.debianPackage}\`${pkg.alternative ? ` or ${pkg.alternative}` : ''}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    log(hint);
    return false;
  }
  log(`${pkg.name} is missing; installing the Debian package ${pkg.debianPackage}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    aptUpdated = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0;
  }
  const install = spawnSync('apt-get', ['install', '-y', '-qq', pkg.debianPackage], { stdio: 'inherit', env });
  if (install.status === 0 && pkg.isInstalled()) return true;
  log(`installing ${pkg.debianPackage} failed; ${hint}`);
  return false;
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
