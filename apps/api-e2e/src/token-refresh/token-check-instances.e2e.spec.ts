import { existsSync } from 'node:fs';
import type { Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import type { TestApp } from '../support/test-app';
import { CLI, MAIN, db, debugCalls, insertDueCredentials, jsonSummary, runTokensCheck, startWorkerInstance, stopProcess, tokenChecks, waitFor, type CliRun } from './token-check.support';

/** Completed check jobs by the instance that ran them. */
async function checkedBy(api: TestApp): Promise<Map<string, number>> {
  const completed = await tokenChecks(api).getJobs(['completed'], 0, -1);
  const by = new Map<string, number>();
  for (const job of completed.filter((j) => j.name === 'check')) by.set(job.returnvalue.checkedBy, (by.get(job.returnvalue.checkedBy) ?? 0) + 1);
  return by;
}

describe('token check across processes: worker instances, the schedule, crashes, the command line', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let running: CliRun[] = [];

  beforeAll(() => {
    for (const file of [CLI, MAIN]) if (!existsSync(file)) throw new Error(`${file} is missing: run "npx nx build api" first (npm test builds it before jest)`);
  });
  // This app runs no jobs: only the separate processes do, sharing its database, Redis and key prefix.
  useApiWithSandbox((started) => ({ api, sandbox } = started), { INSTANCE_ROLE: 'http' });
  beforeEach(async () => {
    await sandbox.control('DELETE', '/faults');
    await tokenChecks(api).obliterate({ force: true });
  });
  afterEach(async () => {
    await Promise.all(running.map(stopProcess));
    running = [];
  });

  const unchecked = () => db(api).collection('meta_connections').countDocuments({ lastCheckedAt: null });

  it('checks 1 000 due credentials by the schedule alone, split between two worker processes, each exactly once', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 1000);
    // A generous Graph timeout: on a loaded machine a timed-out call would be retried, i.e. counted twice.
    const settings = { TOKEN_CHECK_INTERVAL_SECONDS: '1', TOKEN_CHECK_CONCURRENCY: '10', META_GRAPH_TIMEOUT_MS: '60000' };
    running = await Promise.all([startWorkerInstance(api, sandbox, settings), startWorkerInstance(api, sandbox, settings)]);

    await waitFor(async () => (await unchecked()) === 0, 150_000, 'every credential checked');
    await new Promise((r) => setTimeout(r, 2_500)); // more scheduled sweeps run meanwhile: none may check again
    const calls = await debugCalls(sandbox);
    expect(tokens.filter((token) => calls[token] !== 1)).toEqual([]);
    expect(Object.values(calls).reduce((sum, n) => sum + n, 0)).toBe(1000);

    const by = await checkedBy(api);
    expect([...by.values()].reduce((sum, n) => sum + n, 0)).toBe(1000);
    expect(by.size).toBe(2);
    expect(Math.min(...by.values())).toBeGreaterThan(0);
    const runs = await db(api).collection('token_check_runs').find({ trigger: 'schedule' }).sort({ startedAt: 1 }).toArray();
    expect(runs.length).toBeGreaterThan(0);
    expect(runs[0]).toMatchObject({ dryRun: false, queued: 1000 });
    expect(
      await db(api)
        .collection('meta_connections')
        .countDocuments({ nextCheckAt: { $lt: new Date(Date.now() + 23 * 3_600_000) } }),
    ).toBe(0);
  }, 200_000);

  it('loses nothing when a worker is SIGKILLed mid-sweep: its jobs go to the other once their lock lapses', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 60);
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 100_000, latencyMs: 1000 });
    const settings = { TOKEN_CHECK_INTERVAL_SECONDS: '1', TOKEN_CHECK_CONCURRENCY: '5' };
    const [doomed, survivor] = await Promise.all([startWorkerInstance(api, sandbox, settings), startWorkerInstance(api, sandbox, settings)]);
    running = [survivor];
    await waitFor(async () => (await unchecked()) <= 55, 30_000, 'a few checks done');
    doomed.child.kill('SIGKILL');
    await doomed.done;
    const killedAt = Date.now();

    await waitFor(async () => (await unchecked()) === 0, 60_000, 'every credential checked');
    const completed = (await tokenChecks(api).getJobs(['completed'], 0, -1)).filter((j) => j.name === 'check');
    const recovered = completed.filter((j) => j.stalledCounter > 0);
    expect(recovered.length).toBeGreaterThan(0); // the ones the killed worker held
    expect(recovered.every((j) => (j.finishedOn ?? 0) > killedAt + 5_000)).toBe(true); // not before their lock lapsed (job-queues.ts)
    expect((await tokenChecks(api).getJobs(['failed', 'waiting', 'active', 'delayed'])).filter((j) => j.name === 'check')).toEqual([]);
    const calls = await debugCalls(sandbox);
    expect(tokens.filter((token) => !calls[token])).toEqual([]);
    // At most the killed worker's in-flight calls are made twice.
    expect(Object.values(calls).reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(60 + 5);
  }, 120_000);

  it('from the command line: a dry run changes nothing and queues nothing; a failed check makes the exit code non-zero', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 3);
    const snapshot = async () => JSON.stringify(await db(api).collection('meta_connections').find({}).sort({ _id: 1 }).toArray());
    const before = await snapshot();
    const dry = await runTokensCheck(api, sandbox, ['--dry-run']).done;
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run \(nothing changed\)/);
    expect(dry.stdout).toMatch(/healthy\s*│\s*3/);
    expect(await snapshot()).toBe(before);
    expect(await tokenChecks(api).count()).toBe(0);

    // A stored token that cannot be decrypted fails for good at once (no retry would help).
    const broken = await db(api).collection('meta_connections').findOne({});
    await db(api)
      .collection('meta_connections')
      .updateOne({ _id: broken?._id }, { $set: { encryptedToken: 'v1.test.not-a-ciphertext' } });
    const real = await runTokensCheck(api, sandbox, ['--concurrency', '1']).done;
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/failed\s*│\s*1/);
    expect(real.stdout).toMatch(/healthy\s*│\s*2/);
    expect(real.stderr).toMatch(/\[#{30}\] 3\/3/);
    for (const token of tokens) expect(real.stdout + real.stderr + dry.stdout + dry.stderr).not.toContain(token);
    expect(await db(api).collection('meta_connections').findOne({ _id: broken?._id })).toMatchObject({
      status: 'active',
      checkFailures: 1,
      lastCheckFailure: expect.stringMatching(/cannot be decrypted/),
    });
    expect(await tokenChecks(api).getJobCounts('completed', 'failed')).toEqual({ completed: 2, failed: 1 });
    const runs = await db(api).collection('token_check_runs').find({}).sort({ startedAt: 1 }).toArray();
    expect(runs.map((r) => [r['dryRun'], r['counts']['failed'], r['queued']])).toEqual([
      [true, 0, 0],
      [false, 1, 3],
    ]);
  }, 60_000);

  it('a manual run beside a worker instance and another manual run: each credential checked once, every run counts them all', async () => {
    const { tokens } = await insertDueCredentials(api, sandbox, 200);
    // Slow enough that the scheduled sweep is still working when the two runs have started.
    await sandbox.control('POST', '/faults', { endpoint: 'GET /debug_token', count: 100_000, latencyMs: 300 });
    const settings = { META_GRAPH_TIMEOUT_MS: '60000' };
    running = [await startWorkerInstance(api, sandbox, { ...settings, TOKEN_CHECK_INTERVAL_SECONDS: '1', TOKEN_CHECK_CONCURRENCY: '5' })];
    const runs = [runTokensCheck(api, sandbox, ['--json', '--concurrency', '5'], settings), runTokensCheck(api, sandbox, ['--json', '--concurrency', '5'], settings)];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const [first, second] = results.map((r) => jsonSummary(r.stdout));
    expect(first.instanceId).not.toBe(second.instanceId);
    // A run waits for every credential due when it started, whoever checks it; some had been checked by the schedule already.
    for (const summary of [first, second]) expect(summary.counts['healthy']).toBeGreaterThan(0);
    expect(await unchecked()).toBe(0);
    const calls = await debugCalls(sandbox);
    expect(tokens.filter((token) => calls[token] !== 1)).toEqual([]);
    expect((await checkedBy(api)).size).toBeGreaterThan(1);
  }, 120_000);
});
