/**
 * The one folder `npm start` keeps its state in (`.data/`, git-ignored; WABA_DATA_DIR moves it):
 * the database, Redis, the sandbox's world, the token-encryption key and the runtime file that
 * lets operator commands find a running `npm start`. Tests always use their own temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '../..');

export interface DataFolder {
  root: string;
  /** Parent of `mongodb/` or `ferretdb/` (see launchPersistentDatabase). */
  database: string;
  redis: string;
  sandboxWorld: string;
  /** Holds the TOKEN_ENCRYPTION_KEYS value; mode 0600. */
  keyFile: string;
  /** Written by a running `npm start`; see runtime-file.ts. */
  runtimeFile: string;
  /** The API's and the sandbox's output of the current run (`api.log`, `meta-sandbox.log`), also on the console. */
  logs: string;
}

export function dataFolder(env: NodeJS.ProcessEnv = process.env): DataFolder {
  const root = resolve(WORKSPACE_ROOT, env['WABA_DATA_DIR'] || '.data');
  return {
    root,
    database: join(root, 'database'),
    redis: join(root, 'redis'),
    sandboxWorld: join(root, 'sandbox', 'world.json'),
    keyFile: join(root, 'token-encryption-keys'),
    runtimeFile: join(root, 'runtime.json'),
    logs: join(root, 'logs'),
  };
}

/** Creates the folder readable by its owner only: it holds credentials. */
export function ensureDataFolder(folder: DataFolder): void {
  mkdirSync(folder.root, { recursive: true, mode: 0o700 });
  chmodSync(folder.root, 0o700);
}

/**
 * The TOKEN_ENCRYPTION_KEYS value the stored credentials were encrypted with: made once (32 random
 * bytes) and read back on every later start, so tokens stored in an earlier run still decrypt.
 */
export function loadOrCreateEncryptionKeys(folder: DataFolder): { value: string; created: boolean } {
  if (existsSync(folder.keyFile)) {
    chmodSync(folder.keyFile, 0o600);
    const value = readFileSync(folder.keyFile, 'utf8').trim();
    if (!value) throw new Error(`${folder.keyFile} is empty; delete it (and the data it encrypted: npm run reset) or put TOKEN_ENCRYPTION_KEYS in it`);
    return { value, created: false };
  }
  // The id carries the date so a later key added for rotation gets a different one.
  const id = `local-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const value = `${id}:${randomBytes(32).toString('base64')}`;
  // 'wx': never overwrite a key another process wrote meanwhile.
  writeFileSync(folder.keyFile, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}

/**
 * Deletes what `npm start` keeps (only the entries it creates, so a WABA_DATA_DIR pointing at the
 * wrong folder cannot lose anything else). The key stays when asked, e.g. when the database is
 * an external one whose stored credentials it still encrypts. Returns what was deleted.
 */
export function resetDataFolder(folder: DataFolder, options: { keepKey: boolean }): string[] {
  const entries: [string, string][] = [
    [folder.database, 'the database'],
    [folder.redis, 'the Redis data'],
    [join(folder.root, 'sandbox'), "the sandbox's world"],
    [folder.runtimeFile, 'the runtime file'],
  ];
  if (!options.keepKey) entries.push([folder.keyFile, 'the token-encryption key']);
  const deleted: string[] = [];
  for (const [path, what] of entries) {
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    deleted.push(what);
  }
  return deleted;
}
