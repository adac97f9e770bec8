import { existsSync } from 'node:fs';
import { Clock } from '../../../api/src/common/clock/clock';
import { APP_ID, APP_SECRET, VERSION } from '../../../meta-sandbox/src/testing/sandbox-harness';
import type { Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { startTestApp, type TestApp } from '../support/test-app';
import { CLI, db, debugCalls, insertDueCredentials, jsonSummary, movableClock, runTokensCheck, sweep } from './token-check.support';

describe('token check across instances: separate processes, claims, crashes, schedule', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx nx build api" first (npm test builds it before jest)`);
  });
  useApiWithSandbox((running) => ({ api, sandbox } = running));
  beforeEach(() => sandbox.control('DELETE', '/faults'));

  it('splits 1 000 due credentials between two processes, each checked exactly once', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 1000);

    // Few workers each: on FerretDB/SQLite every update scans the collection and writers queue up.
    // A generous Graph timeout: on a loaded CI machine a timed-out call would be retried, i.e. counted twice.
    const settings = { META_GRAPH_TIMEOUT_MS: '60000' };
    const runs = [runTokensCheck(api, sandbox, ['--json', '--concurrency', '4'], settings), runTokensCheck(api, sandbox, ['--json', '--concurrency', '4'], settings)];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const result of results) expect({ code: result.code, stderr: result.stderr, stdout: result.code === 0 ? '' : result.stdout }).toEqual({ code: 0, stderr: '', stdout: '' });
    const [first, second] = results.map((r) => jsonSummary(r.stdout));
    expect(first.instanceId).not.toBe(second.instanceId);
    expect(first.counts['checked'] + second.counts['checked']).toBe(1000);
    expect(first.counts['checked']).toBeGreaterThan(0);
    expect(second.counts['checked']).toBeGreaterThan(0);

    const calls = await debugCalls(sandbox);
    expect(tokens.filter((token) => calls[token] !== 1)).toEqual([]);
    expect(Object.values(calls).reduce((sum, n) => sum + n, 0)).toBe(1000);
    expect(await db(api).collection('meta_connections').countDocuments({ lastCheckedAt: null })).toBe(0);
    expect(await db(api).collection('token_check_claims').countDocuments()).toBe(1000); // one claim each, no takeovers
    const recorded = await db(api).collection('token_check_runs').find({ trigger: 'manual' }).toArray();
    expect(recorded.map((r) => r['instanceId']).sort()).toEqual([first.instanceId, second.instanceId].sort());
  }, 180_000);

  it('takes over the claims of a process killed mid-sweep', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 40);
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 100_000, latencyMs: 400 });
    const doomed = runTokensCheck(api, sandbox, ['--json', '--concurrency', '5'], { TOKEN_CHECK_CLAIM_SECONDS: '30' });
    const connections = db(api).collection('meta_connections');
    const claims = db(api).collection('token_check_claims');
    const deadline = Date.now() + 20_000;
    while ((await connections.countDocuments({ lastCheckedAt: { $ne: null } })) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    doomed.child.kill('SIGKILL');
    await doomed.done;
    await sandbox.control('DELETE', '/faults');

    const unchecked = new Set((await connections.find({ lastCheckedAt: null }).toArray()).map((c) => String(c['_id'])));
    const orphaned = (await claims.find({}).toArray()).map((c) => String(c['connectionId'])).filter((id) => unchecked.has(id));
    expect(orphaned.length).toBeGreaterThan(0);
    expect(unchecked.size).toBeGreaterThan(orphaned.length - 1);
    expect(unchecked.size).toBeLessThanOrEqual(35);

    // Before the claims expire they are left alone; afterwards this instance takes them over.
    expect((await sweep(api)).counts.checked).toBe(unchecked.size - orphaned.length);
    await movableClock(api, sandbox).advance(31_000);
    expect((await sweep(api)).counts.checked).toBe(orphaned.length);

    expect(await connections.countDocuments({ lastCheckedAt: null })).toBe(0);
    const takeovers = await claims.find({ generation: 1 }).toArray();
    expect(takeovers.map((c) => String(c['connectionId'])).sort()).toEqual([...orphaned].sort());
    const calls = await debugCalls(sandbox);
    expect(tokens.every((token) => calls[token] >= 1)).toBe(true);
  }, 60_000);

  it('from the command line: a dry run changes nothing, and a failed check makes the exit code non-zero', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 3);
    const snapshot = async () => JSON.stringify(await db(api).collection('meta_connections').find({}).sort({ _id: 1 }).toArray());
    const before = await snapshot();
    const dry = await runTokensCheck(api, sandbox, ['--dry-run']).done;
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run \(nothing changed\)/);
    expect(dry.stdout).toMatch(/healthy\s*│\s*3/);
    expect(await snapshot()).toBe(before);

    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 3, error: { httpStatus: 503 } });
    const real = await runTokensCheck(api, sandbox, ['--concurrency', '1']).done;
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/failed\s*│\s*1/);
    expect(real.stdout).toMatch(/healthy\s*│\s*2/);
    expect(real.stderr).toMatch(/\[#{30}\] 3\/3/);
    for (const token of tokens) expect(real.stdout + real.stderr + dry.stdout + dry.stderr).not.toContain(token);
    const runs = await db(api).collection('token_check_runs').find({}).sort({ startedAt: 1 }).toArray();
    expect(runs.map((r) => [r['dryRun'], r['counts']['failed']])).toEqual([
      [true, 0],
      [false, 1],
    ]);
  }, 60_000);

  it('runs by itself on every instance at the configured interval', async () => {
    await insertDueCredentials(api, sandbox, 2);
    const scheduled = await startTestApp({
      MONGODB_URI: api.databaseUri,
      TOKEN_CHECK_ENABLED: 'true',
      TOKEN_CHECK_INTERVAL_SECONDS: '1',
      META_GRAPH_URL: sandbox.baseUrl,
      META_APP_ID: APP_ID,
      META_APP_SECRET: APP_SECRET,
      META_API_VERSION: VERSION,
    });
    try {
      const runs = db(api).collection('token_check_runs');
      const deadline = Date.now() + 10_000;
      while (!(await runs.findOne({ trigger: 'schedule', finishedAt: { $ne: null }, 'counts.healthy': 2 })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await runs.findOne({ trigger: 'schedule', 'counts.healthy': 2 })).not.toBeNull();
      const next = await db(api).collection('meta_connections').find({}).toArray();
      const now = scheduled.app.get(Clock).now().getTime();
      expect(next.every((c) => (c['nextCheckAt'] as Date).getTime() > now + 23 * 3_600_000)).toBe(true);
    } finally {
      await scheduled.close();
    }
  }, 30_000);
});
