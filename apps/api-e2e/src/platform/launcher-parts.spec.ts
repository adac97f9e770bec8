import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFolder, ensureDataFolder, loadOrCreateEncryptionKeys, resetDataFolder, type DataFolder } from '@waba/tools/launcher/data-folder';
import { operatorEnvironment } from '@waba/tools/launcher/operator-env';
import { ensureMachinePackage, type Machine } from '@waba/tools/launcher/prerequisites';
import { writeRuntimeFile } from '@waba/tools/launcher/runtime-file';
import { Backoff, superviseProcess, superviseServer } from '@waba/tools/launcher/supervisor';

describe('launcher parts', () => {
  let folder: DataFolder;

  beforeEach(() => {
    folder = dataFolder({ WABA_DATA_DIR: mkdtempSync(join(tmpdir(), 'waba-data-')) });
    ensureDataFolder(folder);
  });
  afterEach(() => rmSync(folder.root, { recursive: true, force: true }));

  describe('back-off', () => {
    it('doubles the pause up to the cap and starts over after a long enough run', () => {
      let now = 0;
      const backoff = new Backoff({ initialMs: 1000, maxMs: 8000, stableAfterMs: 60_000 }, () => now);
      const pauses = [1, 2, 3, 4, 5].map(() => backoff.nextDelayMs());
      expect(pauses).toEqual([1000, 2000, 4000, 8000, 8000]);
      backoff.started();
      now += 61_000;
      expect(backoff.nextDelayMs()).toBe(1000);
    });
  });

  describe('supervision', () => {
    const quick = { initialMs: 20, maxMs: 80, stableAfterMs: 60_000 };

    it('starts a child that keeps exiting again, with growing pauses, until stopped', async () => {
      const starts: number[] = [];
      const lines: string[] = [];
      const child = superviseProcess({
        name: 'crasher',
        command: process.execPath,
        args: ['-e', 'process.exit(3)'],
        cwd: folder.root,
        env: process.env,
        log: (line) => lines.push(line),
        backoff: quick,
        onStarted: () => starts.push(Date.now()),
      });
      await waitFor(() => starts.length >= 4);
      await child.stop();
      const count = starts.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(starts).toHaveLength(count);
      expect(lines[0]).toMatch(/^crasher exited \(exit code 3\) at \d\d:\d\d:\d\d after [\d.]+ s; restarting in 0.02 s \(restart 1\)$/);
      expect(lines.filter((l) => l.includes('restarting in'))[2]).toContain('restarting in 0.08 s');
    });

    it('restarts a dead server one attempt at a time, retrying a failed restart', async () => {
      let report: (reason: string) => void = () => undefined;
      let attempts = 0;
      const server = {
        onExit: (listener: (reason: string) => void) => void (report = listener),
        restart: async () => {
          attempts += 1;
          // The first attempt dies while starting: it reports the exit and fails.
          if (attempts === 1) {
            report('died again');
            throw new Error('port not ready');
          }
        },
      };
      const lines: string[] = [];
      const end = superviseServer('Redis', server, (line) => lines.push(line), { policy: quick });
      report('redis-server exited (SIGKILL)');
      await waitFor(() => lines.includes('Redis restarted'));
      end();
      expect(attempts).toBe(2);
      expect(lines[0]).toMatch(/^redis-server exited \(SIGKILL\) at .*; restarting Redis on the same port and data in 0.02 s/);
      expect(lines[1]).toContain('Redis did not restart (port not ready)');
    });
  });

  describe('machine packages', () => {
    function machine(isRoot: boolean): Machine & { commands: string[] } {
      const commands: string[] = [];
      return { isRoot, hasAptGet: true, aptUpdated: false, commands, run: (command, args) => (commands.push([command, ...args].join(' ')), 0) };
    }

    it('as root: apt-get update once, then install each missing package', () => {
      const installed = new Set<string>();
      const pkg = (name: string) => ({ name, debianPackage: name, isInstalled: () => installed.has(name) });
      const root = machine(true);
      root.run = (command, args) => {
        root.commands.push([command, ...args].join(' '));
        if (args[0] === 'install') installed.add(args[args.length - 1]);
        return 0;
      };
      expect(ensureMachinePackage(pkg('redis-server'), () => undefined, root)).toBeUndefined();
      expect(ensureMachinePackage(pkg('chromium'), () => undefined, root)).toBeUndefined();
      expect(root.commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq redis-server', 'apt-get install -y -qq chromium']);
    });

    it('otherwise: installs nothing and says in one line what to install', () => {
      const user = machine(false);
      const hint = ensureMachinePackage({ name: 'redis-server', debianPackage: 'redis-server', isInstalled: () => false, alternative: 'set REDIS_URL' }, () => undefined, user);
      expect(hint).toBe('redis-server is missing: install it with `sudo apt-get install -y redis-server` or set REDIS_URL');
      expect(user.commands).toEqual([]);
    });
  });

  describe('data folder', () => {
    it('makes the token key once, 32 bytes in the API format, readable by its owner only', () => {
      const first = loadOrCreateEncryptionKeys(folder);
      const again = loadOrCreateEncryptionKeys(folder);
      expect(first.created).toBe(true);
      expect(again).toEqual({ value: first.value, created: false });
      const [id, key] = first.value.split(':');
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      expect(statSync(folder.keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(folder.root).mode & 0o777).toBe(0o700);
    });

    it('reset deletes only what npm start keeps, and the key only when asked', () => {
      loadOrCreateEncryptionKeys(folder);
      mkdirSync(join(folder.database, 'ferretdb'), { recursive: true });
      mkdirSync(folder.redis, { recursive: true });
      const unrelated = join(folder.root, 'notes.txt');
      writeFileSync(unrelated, 'mine');
      expect(resetDataFolder(folder, { keepKey: true })).toEqual(['the database', 'the Redis data']);
      expect(existsSync(folder.keyFile)).toBe(true);
      expect(resetDataFolder(folder, { keepKey: false })).toEqual(['the token-encryption key']);
      expect(readFileSync(unrelated, 'utf8')).toBe('mine');
    });
  });

  describe('operator environment', () => {
    function runningStart(): void {
      const { value } = loadOrCreateEncryptionKeys(folder);
      expect(value).toBeTruthy();
      // The jest worker's parent stands in for the launcher: a live pid that is not ours.
      writeRuntimeFile(folder, {
        pid: process.ppid,
        startedAt: new Date().toISOString(),
        apiUrl: 'http://localhost:3000',
        sandboxUrl: 'http://localhost:4100',
        env: { MONGODB_URI: 'mongodb://127.0.0.1:1/waba_connect', REDIS_URL: 'redis://127.0.0.1:2', META_GRAPH_URL: 'http://localhost:4100' },
        tokenEncryptionKeysFile: folder.keyFile,
        processes: [],
      });
    }

    it('says in one line what to do when nothing provides a database', () => {
      const result = operatorEnvironment({}, folder);
      expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('npm start') });
      expect(result.ok === false && result.problem.split('\n')).toHaveLength(1);
    });

    it('fills in only what the environment lacks from a running npm start, the key from its file', () => {
      runningStart();
      const result = operatorEnvironment({ REDIS_URL: 'redis://prod:6380' }, folder);
      if (!result.ok) throw new Error(result.problem);
      expect(result.env).toMatchObject({
        MONGODB_URI: 'mongodb://127.0.0.1:1/waba_connect',
        REDIS_URL: 'redis://prod:6380',
        TOKEN_ENCRYPTION_KEYS: readFileSync(folder.keyFile, 'utf8').trim(),
      });
    });

    it('ignores the runtime file of an npm start that is no longer running', () => {
      runningStart();
      const stale = JSON.parse(readFileSync(folder.runtimeFile, 'utf8'));
      // Above Linux's largest pid (2^22), so no process has it.
      writeRuntimeFile(folder, { ...stale, pid: 2 ** 22 + 12345 });
      expect(operatorEnvironment({}, folder).ok).toBe(false);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
