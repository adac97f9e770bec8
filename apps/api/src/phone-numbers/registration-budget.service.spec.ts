import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import type { MetaGraphClient } from '@waba/meta-graph';
import { ConflictError } from '../common/errors/domain-errors';
import { ACCOUNT_ID, aGraphError, aRegistrationAttempt, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { RegistrationAttemptRecord, RegistrationAttemptsRepository } from './registration-attempts.repository';
import { RegistrationBudgetService } from './registration-budget.service';

describe('RegistrationBudgetService', () => {
  let clock: FakeClock;
  let repository: MockProxy<RegistrationAttemptsRepository>;
  let graph: MockProxy<MetaGraphClient>;
  let service: RegistrationBudgetService;
  let attempts: RegistrationAttemptRecord[];

  const attempt = (hoursAgo: number, outcome: RegistrationAttemptRecord['outcome'] = 'ok') => aRegistrationAttempt(clock.now(), hoursAgo, { outcome });

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<RegistrationAttemptsRepository>('repository');
    graph = strictMock<MetaGraphClient>('graph');
    attempts = [];
    repository.attemptsSince.mockImplementation(async (_account, _number, since) => attempts.filter((a) => a.at >= since));
    service = new RegistrationBudgetService(repository, graph, clock);
  });

  it('counts the attempts of the last 72 hours, failed ones too, and says when the oldest leaves the window', async () => {
    attempts = [attempt(80), attempt(70, 'failed'), attempt(2)];
    const budget = await service.budget(ACCOUNT_ID, PHONE_NUMBER_ID);
    expect(repository.attemptsSince).toHaveBeenCalledWith(ACCOUNT_ID, PHONE_NUMBER_ID, new Date(clock.now().getTime() - 72 * HOUR));
    expect(budget).toMatchObject({ limit: 10, windowHours: 72, usedByUs: 2, remaining: 8, blockedUntil: null, nextFreedAt: '2026-11-25T14:00:00.000Z' });
    expect(budget.words).toBe("WABA Connect made 2 of Meta's 10 allowed registration attempts in the last 72 hours; 8 left (attempts made outside WABA Connect count too).");
  });

  it("has nothing left for 72 hours after Meta's 133016, whatever the count", async () => {
    attempts = [attempt(10, 'limited')];
    const budget = await service.budget(ACCOUNT_ID, PHONE_NUMBER_ID);
    expect(budget).toMatchObject({ remaining: 0, blockedUntil: '2026-11-28T02:00:00.000Z' });
    expect(budget.words).toContain('Meta blocked registering this number until 2026-11-28 02:00 UTC');
  });

  it('refuses to spend an attempt when none is left, and allows it again once the oldest left the window', async () => {
    attempts = Array.from({ length: 10 }, (_, i) => attempt(71 - i));
    await expect(service.requireRoom(ACCOUNT_ID, PHONE_NUMBER_ID)).rejects.toThrow(ConflictError);
    clock.advance(1.5 * HOUR);
    await expect(service.requireRoom(ACCOUNT_ID, PHONE_NUMBER_ID)).resolves.toMatchObject({ remaining: 1 });
  });

  describe('register', () => {
    beforeEach(() => {
      repository.addAttempt.mockImplementation(async (_account, added) => void attempts.push({ _id: new Types.ObjectId(), accountId: new Types.ObjectId(ACCOUNT_ID), ...added }));
    });

    it('calls Meta once with the PIN and counts the attempt, so the budget shows one fewer', async () => {
      graph.registerPhone.calledWith('tenant-token', PHONE_NUMBER_ID, '123456').mockResolvedValue({ success: true });

      await service.register(ACCOUNT_ID, PHONE_NUMBER_ID, 'tenant-token', '123456');

      expect(graph.registerPhone).toHaveBeenCalledTimes(1);
      expect(repository.addAttempt).toHaveBeenCalledWith(ACCOUNT_ID, { phoneNumberId: PHONE_NUMBER_ID, kind: 'register', outcome: 'ok', at: clock.now() });
      expect(await service.budget(ACCOUNT_ID, PHONE_NUMBER_ID)).toMatchObject({ usedByUs: 1, remaining: 9 });
    });

    it("counts a refusal as spent and rethrows it; Meta's 133016 blocks the budget for 72 hours", async () => {
      graph.registerPhone.mockRejectedValueOnce(aGraphError('invalid')).mockRejectedValueOnce(aGraphError('blocked', { code: 133016 }));

      await expect(service.register(ACCOUNT_ID, PHONE_NUMBER_ID, 'tenant-token', '123456')).rejects.toMatchObject({ kind: 'invalid' });
      await expect(service.register(ACCOUNT_ID, PHONE_NUMBER_ID, 'tenant-token', '123456')).rejects.toMatchObject({ code: 133016 });

      expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'limited']);
      expect(await service.budget(ACCOUNT_ID, PHONE_NUMBER_ID)).toMatchObject({ usedByUs: 2, remaining: 0, blockedUntil: '2026-11-28T12:00:00.000Z' });
    });

    it('counts nothing when the call never left our process (not a Graph error)', async () => {
      graph.registerPhone.mockRejectedValue(new TypeError('bad input'));
      await expect(service.register(ACCOUNT_ID, PHONE_NUMBER_ID, 'tenant-token', '123456')).rejects.toThrow(TypeError);
      expect(repository.addAttempt).not.toHaveBeenCalled();
    });
  });
});
