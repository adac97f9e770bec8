import type { MockProxy } from 'jest-mock-extended';
import { Types } from 'mongoose';
import { sha256Hex } from '../common/crypto/sha256';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { ACCOUNT_ID, aTenant, OTHER_ACCOUNT_ID, USER_ID } from '../testing/factories';
import { FakeClock, MINUTE } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import type { OAuthRepository, StateRecord } from './oauth.repository';
import { OAuthStateService } from './oauth-state.service';

const tenant = aTenant();
const STATE = 'state-from-the-callback';
const ATTEMPT_ID = '64b0000000000000000000a1';

describe('OAuthStateService', () => {
  let clock: FakeClock;
  let repository: MockProxy<OAuthRepository>;
  let service: OAuthStateService;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = strictMock<OAuthRepository>('repository');
    const attempts = strictMock<OnboardingAttemptsService>('attempts');
    attempts.startQuietly.mockResolvedValue(ATTEMPT_ID);
    service = new OAuthStateService(repository, attempts, clock);
  });

  const aState = (overrides: Partial<StateRecord> = {}): StateRecord =>
    ({
      _id: new Types.ObjectId(),
      stateHash: sha256Hex(STATE),
      accountId: new Types.ObjectId(ACCOUNT_ID),
      userId: new Types.ObjectId(USER_ID),
      expiresAt: clock.now(),
      usedAt: null,
      attemptId: null,
      ...overrides,
    }) as StateRecord;

  it('issues an unguessable state and stores only its hash, valid for ten minutes', async () => {
    repository.insertState.mockResolvedValue();
    const state = await service.issue(tenant);
    const again = await service.issue(tenant);

    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again).not.toBe(state);
    expect(repository.insertState).toHaveBeenCalledWith(ACCOUNT_ID, USER_ID, sha256Hex(state), new Date(clock.now().getTime() + 10 * MINUTE), ATTEMPT_ID);
  });

  it('uses up a state it issued to this user, and answers the onboarding attempt it began', async () => {
    repository.consumeState.calledWith(ACCOUNT_ID, USER_ID, sha256Hex(STATE), clock.now()).mockResolvedValue(aState({ attemptId: new Types.ObjectId(ATTEMPT_ID) }));
    await expect(service.consume(tenant, STATE)).resolves.toBe(ATTEMPT_ID);
  });

  it.each<[string, string | undefined, () => StateRecord | null, RegExp]>([
    ['missing', undefined, () => null, /missing/],
    ['not one we issued', STATE, () => null, /not one we issued/],
    ['issued in another tenant', STATE, () => aState({ accountId: new Types.ObjectId(OTHER_ACCOUNT_ID) }), /issued to another user/],
    ['issued to a colleague', STATE, () => aState({ userId: new Types.ObjectId() }), /issued to another user/],
    ['already used', STATE, () => aState({ usedAt: clock.now() }), /already used/],
    ['expired', STATE, () => aState(), /expired \(10 minutes\)/],
  ])("refuses a state that is %s, in the catalogue's words", async (_why, state, found, message) => {
    repository.consumeState.mockResolvedValue(null);
    repository.findState.calledWith(sha256Hex(STATE)).mockResolvedValue(found());

    const refused = service.consume(tenant, state);

    await expect(refused).rejects.toThrow(InvalidRequestError);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toMatchObject({ code: 'oauth_state_invalid' });
  });
});
