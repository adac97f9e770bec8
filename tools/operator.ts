/**
 * `npm run cli -- <command>` (and `npm run tokens:check`, `keys:rotate`, `operators` …): the API's
 * operator CLI (`node dist/apps/api/cli.js <command> <args>`) with the API's settings, taken from
 * the environment or, for what it lacks, from a running `npm start` (see launcher/operator-env.ts).
 * Help needs no settings; without a database anything else stops with exit code 2 (configuration).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataFolder } from './launcher/data-folder';
import { operatorEnvironment } from './launcher/operator-env';

const root = resolve(__dirname, '..');
const cli = resolve(root, 'dist/apps/api/cli.js');
const CONFIG_ERROR = 2;

const asksForHelp = (argv: string[]) => argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');

function main(argv: string[]): number {
  if (!existsSync(cli)) {
    console.error(`${cli} is missing: build the API first (npx nx build api).`);
    return CONFIG_ERROR;
  }
  const folder = dataFolder();
  const prepared = operatorEnvironment(process.env, folder);
  if (!prepared.ok && !asksForHelp(argv)) {
    console.error(prepared.problem);
    return CONFIG_ERROR;
  }
  // stderr, so `--json` output on stdout stays one line.
  if (prepared.ok && prepared.launcher) console.error(`[operator] using the running npm start (pid ${prepared.launcher.pid}, data in ${folder.root}) for settings not in the environment`);
  const result = spawnSync(process.execPath, [cli, ...argv], { cwd: root, env: prepared.ok ? prepared.env : process.env, stdio: 'inherit' });
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
