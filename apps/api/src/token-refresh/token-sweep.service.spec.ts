import type { Worker } from 'bullmq';
import type { MockProxy } from 'jest-mock-extended';
import type { ApiConfig } from '../config/api-config';
import { aCheckedConnection, ACCOUNT_ID, WABA_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { CheckJobEnd, CheckJobWatch } from './check-job-watch';
import type { TokenCheckJobs, TokenCheckRunner } from './token-check-jobs';
import type { CheckedConnection, CredentialChecksService } from '../credentials/credential-checks.service';
import type { TokenCheckRunsRepository } from './token-check-runs.repository';
import type { CheckOutcome, TokenCheckService } from './token-check.service';
import { TokenSweepService } from './token-sweep.service';
import type { WabaBackoff } from './waba-backoff';

const RUN_ID = 'run-1';
const zero = { checked: 0, healthy: 0, extended: 0, needsReauth: 0, failed: 0, deferred: 0 };

describe('TokenSweepService', () => {
  let clock: FakeClock;
  let jobs: MockProxy<TokenCheckJobs>;
  let runner: MockProxy<TokenCheckRunner>;
  let repository: MockProxy<CredentialChecksService>;
  let runs: MockProxy<TokenCheckRunsRepository>;
  let checker: MockProxy<TokenCheckService>;
  let backoff: MockProxy<WabaBackoff>;
  let service: TokenSweepService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    jobs = strictMock<TokenCheckJobs>('jobs');
    runner = strictMock<TokenCheckRunner>('runner');
    repository = strictMock<CredentialChecksService>('repository');
    runs = strictMock<TokenCheckRunsRepository>('runs');
    checker = strictMock<TokenCheckService>('checker');
    backoff = strictMock<WabaBackoff>('backoff');
    service = new TokenSweepService(jobs, runner, repository, runs, checker, backoff, { TOKEN_CHECK_CONCURRENCY: 1 } as ApiConfig, clock);
    runs.start.mockResolvedValue(RUN_ID);
    runs.finish.mockResolvedValue();
  });

  describe('a dry run', () => {
    function givenDue(...connections: CheckedConnection[]): void {
      repository.countDue.mockResolvedValue(connections.length);
      repository.listDue.mockImplementation(async function* () {
        yield* connections;
      });
    }

    it('asks Meta about each due credential without writing, and counts the outcomes', async () => {
      const outcomes: CheckOutcome[] = [
        { kind: 'healthy', status: 'active' },
        { kind: 'extended', expiresAt: null },
        { kind: 'needs_reauth', reason: 'x' },
        { kind: 'failed', reason: 'x', retryable: true },
      ];
      givenDue(...outcomes.map((_, i) => aCheckedConnection({ id: `c${i}`, grantedWabaIds: [`waba-${i}`] })));
      backoff.until.mockResolvedValue(0);
      checker.check.mockImplementation(async (connection, options) => (options.dryRun ? outcomes[Number(connection.id.slice(1))] : Promise.reject(new Error('wrote'))));
      const progress = jest.fn();

      const summary = await service.sweep({ trigger: 'manual', dryRun: true, accountId: ACCOUNT_ID, progress });

      expect(summary).toMatchObject({ runId: RUN_ID, dryRun: true, counts: { checked: 4, healthy: 1, extended: 1, needsReauth: 1, failed: 1, deferred: 0 } });
      expect(repository.listDue).toHaveBeenCalledWith({ accountId: ACCOUNT_ID }, clock.now(), false);
      expect(progress).toHaveBeenLastCalledWith(4, 4);
      expect(runs.finish).toHaveBeenCalledWith(RUN_ID, clock.now(), summary.counts, 0, null);
    });

    it('defers, without asking Meta, credentials of a WABA rate-limited earlier in the run or backed off', async () => {
      givenDue(aCheckedConnection({ id: 'a' }), aCheckedConnection({ id: 'b' }), aCheckedConnection({ id: 'c', grantedWabaIds: ['other-waba'] }));
      backoff.until.mockImplementation(async (connection) => (connection.id === 'c' ? clock.now().getTime() + 60_000 : 0));
      checker.check.calledWith(expect.objectContaining({ id: 'a' }), { dryRun: true }).mockResolvedValue({ kind: 'rate_limited', reason: 'slow', retryAfterMs: 60_000 });

      const summary = await service.sweep({ trigger: 'manual', dryRun: true });

      expect(summary.counts).toEqual({ ...zero, deferred: 3 });
      expect(checker.check).toHaveBeenCalledTimes(1);
      expect(backoff.until).not.toHaveBeenCalledWith(expect.objectContaining({ grantedWabaIds: [WABA_ID], id: 'b' }));
    });
  });

  describe('a real run', () => {
    let watch: MockProxy<CheckJobWatch>;
    let worker: MockProxy<Worker>;

    beforeEach(() => {
      watch = strictMock<CheckJobWatch>('watch');
      worker = strictMock<Worker>('worker');
      jobs.watch.mockResolvedValue(watch);
      runner.startWorker.mockReturnValue(worker);
      watch.close.mockResolvedValue();
      worker.close.mockResolvedValue();
    });

    it('listens before queueing, runs a worker of its own, counts how each job ended, and closes both', async () => {
      const ends: CheckJobEnd[] = [
        { kind: 'healthy', checkedBy: 'x' },
        { kind: 'not_due', checkedBy: 'x' },
        { kind: 'deferred', until: 1 },
        { kind: 'failed', reason: 'x' },
      ];
      jobs.enqueueDue.mockResolvedValue(['j1', 'j2', 'j3', 'j4']);
      watch.waitFor.mockImplementation(async (_ids, ended) => ends.forEach(ended));
      repository.makeDue.mockResolvedValue(4);

      const summary = await service.sweep({ trigger: 'manual', all: true, concurrency: 3 });

      expect(summary.counts).toEqual({ ...zero, checked: 2, healthy: 1, failed: 1, deferred: 1 });
      expect(runner.startWorker).toHaveBeenCalledWith(3);
      expect(repository.makeDue).toHaveBeenCalledWith({ accountId: undefined }, clock.now());
      expect(jobs.watch.mock.invocationCallOrder[0]).toBeLessThan(jobs.enqueueDue.mock.invocationCallOrder[0]);
      expect(worker.close).toHaveBeenCalled();
      expect(watch.close).toHaveBeenCalled();
      expect(runs.finish).toHaveBeenCalledWith(RUN_ID, clock.now(), summary.counts, 4, null);
    });

    it('records why a run failed, and still closes its worker', async () => {
      jobs.enqueueDue.mockRejectedValue(new Error('Redis is away'));
      await expect(service.sweep({ trigger: 'schedule' })).rejects.toThrow('Redis is away');
      expect(worker.close).toHaveBeenCalled();
      expect(runs.finish).toHaveBeenCalledWith(RUN_ID, clock.now(), zero, 0, 'Redis is away');
    });
  });
});
