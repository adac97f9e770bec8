import { Logger } from '@nestjs/common';
import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import { InvalidRequestError, NotFoundError } from '../common/errors/domain-errors';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import { ACCOUNT_ID, aGraphError, aTenant, OTHER_ACCOUNT_ID, USER_ID } from '../testing/factories';
import { DAY, FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { FunnelRow, OnboardingAttemptRecord, OnboardingAttemptsRepository } from './onboarding-attempts.repository';
import { funnelOf, OnboardingAttemptsService } from './onboarding-attempts.service';

const tenant = aTenant();
const ATTEMPT_ID = '64b0000000000000000000a1';
const SESSION_ID = '64b0000000000000000000e1';

describe('OnboardingAttemptsService', () => {
  let clock: FakeClock;
  let repository: MockProxy<OnboardingAttemptsRepository>;
  let realtime: MockProxy<RealtimePublisher>;
  let service: OnboardingAttemptsService;
  let stored: OnboardingAttemptRecord;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<OnboardingAttemptsRepository>('repository');
    realtime = strictMock<RealtimePublisher>('realtime');
    realtime.publish.mockReturnValue();
    service = new OnboardingAttemptsService(repository, realtime, clock);
    stored = anAttempt();
    repository.find.calledWith(ACCOUNT_ID, ATTEMPT_ID).mockImplementation(async () => stored);
    repository.findBySession.calledWith(ACCOUNT_ID, SESSION_ID).mockImplementation(async () => stored);
    repository.update.mockImplementation(async (_account, _id, patch) => {
      const { onboardingSessionId, ...rest } = patch;
      stored = { ...stored, ...rest, ...(onboardingSessionId ? { onboardingSessionId: new Types.ObjectId(onboardingSessionId) } : {}) };
      return stored;
    });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it("records where the person left Meta's popup, in Meta's screen name and in words, live", async () => {
    const view = await service.ended(tenant, ATTEMPT_ID, { outcome: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });

    expect(view).toMatchObject({ status: 'cancelled', reachedStep: 'started', cancelledAtStep: 'PHONE_NUMBER_SETUP', cancelledAtStepLabel: 'adding a phone number' });
    expect(realtime.publish).toHaveBeenCalledWith(ACCOUNT_ID, { type: 'onboarding-attempt.updated', attempt: expect.objectContaining({ id: ATTEMPT_ID, status: 'cancelled' }) });
  });

  it("records the error Meta's popup showed with Meta's code and session id for support", async () => {
    const view = await service.ended(tenant, ATTEMPT_ID, { outcome: 'error', errorCode: '2388049', errorMessage: 'The business cannot onboard', sessionId: 'meta-session-9' });
    expect(view.error).toEqual({ source: 'meta', message: 'The business cannot onboard', code: '2388049', sessionId: 'meta-session-9' });
  });

  it("ends a full-page redirect that came back without a code: user_denied as a cancel, anything else as Meta's error", async () => {
    await service.redirectEnded(tenant, ATTEMPT_ID, { state: 's', error: 'access_denied', errorReason: 'user_denied', errorCode: '200', errorDescription: 'Permissions error' });
    expect(stored).toMatchObject({ status: 'cancelled', cancelledAtStep: null });

    stored = anAttempt();
    await service.redirectEnded(tenant, ATTEMPT_ID, { state: 's', error: 'server_error', errorCode: '2', errorDescription: 'Try again later' });
    expect(stored).toMatchObject({ status: 'failed', error: { source: 'meta', message: 'Try again later', code: '2' } });

    // A state issued before attempts were recorded names none: nothing to end.
    stored = anAttempt();
    await service.redirectEnded(tenant, null, { state: 's', error: 'access_denied' });
    expect(repository.update).toHaveBeenCalledTimes(2);
  });

  it("ignores the popup's word once the consent finished: the API records the rest", async () => {
    stored = anAttempt({ reachedStep: 'numbers_offered' });
    const view = await service.ended(tenant, ATTEMPT_ID, { outcome: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });
    expect(view.status).toBe('in_progress');
    expect(repository.update).not.toHaveBeenCalled();
  });

  it('refuses an attempt of another workspace as if it did not exist', async () => {
    repository.find.calledWith(OTHER_ACCOUNT_ID, ATTEMPT_ID).mockResolvedValue(null);
    await expect(service.ended(aTenant({ accountId: OTHER_ACCOUNT_ID }), ATTEMPT_ID, { outcome: 'cancelled' })).rejects.toThrow(NotFoundError);
  });

  it("stores a Meta refusal in the catalogue's words, never Graph's raw text", async () => {
    await service.failed(tenant, ATTEMPT_ID, aGraphError('credential', { code: 190, message: 'raw Graph text' }));
    expect(stored.status).toBe('failed');
    expect(stored.error).toMatchObject({ source: 'meta', code: '190' });
    expect(stored.error?.message).not.toContain('raw Graph text');
  });

  it('counts a confirm with one number connected and one failed as partial, with the reason per number', async () => {
    await service.confirmed(tenant, SESSION_ID, [
      { phoneNumberId: '1', displayPhone: '+44 1', state: 'connected' },
      { phoneNumberId: '2', displayPhone: '+44 2', state: 'failed', message: 'Registering the number failed' },
    ]);
    expect(stored).toMatchObject({
      status: 'partial',
      reachedStep: 'connected',
      numbersPicked: 2,
      numbersConnected: 1,
      failures: [{ phoneNumberId: '2', displayPhone: '+44 2', reason: 'Registering the number failed' }],
    });
  });

  it('never fails the onboarding it records when the database write fails', async () => {
    repository.update.mockRejectedValue(new Error('database gone'));
    await expect(service.offered(tenant, ATTEMPT_ID, SESSION_ID, 3)).resolves.toBeUndefined();
    await expect(service.failed(tenant, ATTEMPT_ID, new Error('x'))).resolves.toBeUndefined();
  });

  it('refuses a funnel period that is not a date, backwards, or longer than a year, in words', async () => {
    await expect(service.funnel({ from: 'last week' })).rejects.toThrow(new InvalidRequestError('from must be a date such as 2026-11-01 or 2026-11-01T12:00:00Z'));
    await expect(service.funnel({ from: '2026-11-20', to: '2026-11-10' })).rejects.toThrow('from must be before to');
    await expect(service.funnel({ from: '2024-01-01', to: '2026-01-01' })).rejects.toThrow('at most 366 days');
  });

  it('reads the last 30 days by default', async () => {
    repository.startedBetween.mockResolvedValue([]);
    await service.funnel({});
    expect(repository.startedBetween).toHaveBeenCalledWith(new Date(clock.now().getTime() - 30 * DAY), clock.now());
  });
});

describe('funnelOf', () => {
  const row = (overrides: Partial<FunnelRow>): FunnelRow => ({
    accountId: new Types.ObjectId(ACCOUNT_ID),
    flow: 'embedded_signup',
    status: 'in_progress',
    reachedStep: 'started',
    cancelledAtStep: null,
    error: null,
    ...overrides,
  });

  it('counts each attempt at every step it got past, and groups outcomes, flows, screens and errors', () => {
    const other = new Types.ObjectId(OTHER_ACCOUNT_ID);
    const funnel = funnelOf(
      [
        row({ status: 'completed', reachedStep: 'connected' }),
        row({ status: 'cancelled', cancelledAtStep: 'PHONE_NUMBER_SETUP' }),
        row({ status: 'cancelled', cancelledAtStep: 'PHONE_NUMBER_SETUP', accountId: other }),
        row({ status: 'failed', reachedStep: 'consent_finished', flow: 'oauth', error: { source: 'ours', message: 'Meta granted no WhatsApp Business Account', code: null, sessionId: null } }),
        row({ status: 'partial', reachedStep: 'connected', flow: 'import' }),
      ],
      new Date('2026-11-01'),
      new Date('2026-12-01'),
    );

    expect(funnel.attempts).toBe(5);
    expect(funnel.workspaces).toBe(2);
    expect(funnel.steps.map((s) => [s.step, s.attempts])).toEqual([
      ['started', 5],
      ['consent_finished', 3],
      ['numbers_offered', 2],
      ['numbers_picked', 2],
      ['connected', 2],
    ]);
    expect(funnel.outcomes).toEqual({ in_progress: 0, completed: 1, partial: 1, cancelled: 2, failed: 1 });
    expect(funnel.cancelledAt).toEqual([{ key: 'PHONE_NUMBER_SETUP', label: 'adding a phone number', count: 2 }]);
    expect(funnel.byFlow[0]).toEqual({ key: 'embedded_signup', label: "Meta's popup (Embedded Signup)", count: 3 });
    expect(funnel.errors).toEqual([{ key: 'ours:none', label: 'Meta granted no WhatsApp Business Account', count: 1 }]);
  });
});

function anAttempt(overrides: Partial<OnboardingAttemptRecord> = {}): OnboardingAttemptRecord {
  return {
    _id: new Types.ObjectId(ATTEMPT_ID),
    accountId: new Types.ObjectId(ACCOUNT_ID),
    userId: new Types.ObjectId(USER_ID),
    startedByName: 'Olivia Owner',
    flow: 'embedded_signup',
    status: 'in_progress',
    reachedStep: 'started',
    startedAt: new Date('2026-11-25T11:59:00Z'),
    updatedAt: new Date('2026-11-25T11:59:00Z'),
    cancelledAtStep: null,
    error: null,
    numbersOffered: null,
    numbersPicked: null,
    numbersConnected: null,
    failures: [],
    onboardingSessionId: null,
    ...overrides,
  };
}
