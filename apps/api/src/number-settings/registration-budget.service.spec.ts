import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import { ConflictError } from '../common/errors/domain-errors';
import { ACCOUNT_ID, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock, HOUR } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { NumberSettingsRepository, RegistrationAttemptRecord } from './number-settings.repository';
import { RegistrationBudgetService } from './registration-budget.service';

describe('RegistrationBudgetService', () => {
  let clock: FakeClock;
  let repository: MockProxy<NumberSettingsRepository>;
  let service: RegistrationBudgetService;
  let attempts: RegistrationAttemptRecord[];

  const attempt = (hoursAgo: number, outcome: RegistrationAttemptRecord['outcome'] = 'ok'): RegistrationAttemptRecord => ({
    _id: new Types.ObjectId(),
    accountId: new Types.ObjectId(ACCOUNT_ID),
    phoneNumberId: PHONE_NUMBER_ID,
    kind: 'register',
    outcome,
    at: new Date(clock.now().getTime() - hoursAgo * HOUR),
  });

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<NumberSettingsRepository>('repository');
    attempts = [];
    repository.attemptsSince.mockImplementation(async (_account, _number, since) => attempts.filter((a) => a.at >= since));
    service = new RegistrationBudgetService(repository, clock);
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
});
