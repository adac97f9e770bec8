/**
 * The environment for an operator command (`npm run cli -- …`, tools/operator.ts): settings already in the
 * environment win (production sets them as for the API); a running `npm start` on the data folder
 * fills in the rest from its runtime file, the key from its own 0600 file.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DataFolder } from './data-folder';
import { runningLauncher, type RuntimeInfo } from './runtime-file';

export type OperatorEnvironment = { ok: true; env: NodeJS.ProcessEnv; launcher?: RuntimeInfo } | { ok: false; problem: string };

export function operatorEnvironment(env: NodeJS.ProcessEnv, folder: DataFolder): OperatorEnvironment {
  const launcher = runningLauncher(folder);
  const filled: NodeJS.ProcessEnv = { ...env };
  if (launcher) {
    for (const [name, value] of Object.entries(launcher.env)) if (!filled[name]) filled[name] = value;
    if (!filled['TOKEN_ENCRYPTION_KEYS'] && launcher.tokenEncryptionKeysFile && existsSync(launcher.tokenEncryptionKeysFile)) {
      filled['TOKEN_ENCRYPTION_KEYS'] = readFileSync(launcher.tokenEncryptionKeysFile, 'utf8').trim();
    }
  }
  if (!filled['MONGODB_URI']) {
    return {
      ok: false,
      problem: `No database to run against: start the app with \`npm start\` (in another terminal; data in ${folder.root}), or set MONGODB_URI and TOKEN_ENCRYPTION_KEYS as the API has them.`,
    };
  }
  if (!filled['TOKEN_ENCRYPTION_KEYS']) {
    return {
      ok: false,
      problem: launcher
        ? 'The running npm start took TOKEN_ENCRYPTION_KEYS from its environment: set the same value here.'
        : 'TOKEN_ENCRYPTION_KEYS is not set: give it the value the API has (the keys the stored credentials were encrypted with).',
    };
  }
  return { ok: true, env: filled, launcher };
}
