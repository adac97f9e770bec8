import { Injectable } from '@nestjs/common';
import { REGISTRATION_LIMIT, type RegistrationBudgetView } from '@waba/contracts';
import { Clock } from '../common/clock/clock';
import { ConflictError } from '../common/errors/domain-errors';
import { NumberSettingsRepository } from './number-settings.repository';

const WINDOW_MS = REGISTRATION_LIMIT.windowHours * 3600_000;

/**
 * Meta's register/deregister budget of a number (10 in a moving 72 hours; the 11th is refused
 * with 133016 and blocks registering for 72 hours), counted from the attempts we made. Shown
 * before anything that spends it, and checked so we never spend the last ones blindly.
 */
@Injectable()
export class RegistrationBudgetService {
  constructor(
    private readonly repository: NumberSettingsRepository,
    private readonly clock: Clock,
  ) {}

  async budget(accountId: string, phoneNumberId: string): Promise<RegistrationBudgetView> {
    const now = this.clock.now().getTime();
    const attempts = await this.repository.attemptsSince(accountId, phoneNumberId, new Date(now - WINDOW_MS));
    const limited = attempts.filter((a) => a.outcome === 'limited').at(-1);
    const blockedUntil = limited && limited.at.getTime() + WINDOW_MS > now ? new Date(limited.at.getTime() + WINDOW_MS) : null;
    const usedByUs = attempts.length;
    const remaining = blockedUntil ? 0 : Math.max(0, REGISTRATION_LIMIT.attempts - usedByUs);
    const nextFreedAt = attempts.length ? new Date(attempts[0].at.getTime() + WINDOW_MS) : null;
    return {
      limit: REGISTRATION_LIMIT.attempts,
      windowHours: REGISTRATION_LIMIT.windowHours,
      usedByUs,
      remaining,
      blockedUntil: blockedUntil?.toISOString() ?? null,
      nextFreedAt: nextFreedAt?.toISOString() ?? null,
      words: budgetWords(usedByUs, remaining, blockedUntil),
    };
  }

  /** Refuses when no attempt is left, in words; otherwise answers the budget before spending. */
  async requireRoom(accountId: string, phoneNumberId: string): Promise<RegistrationBudgetView> {
    const budget = await this.budget(accountId, phoneNumberId);
    if (budget.remaining === 0) {
      throw new ConflictError(`${budget.words} Registering now would only be refused by Meta, so we did not try.`, { code: 'meta_blocked' });
    }
    return budget;
  }

  record(accountId: string, phoneNumberId: string, kind: 'register' | 'deregister', outcome: 'ok' | 'failed' | 'limited', at = this.clock.now()): Promise<void> {
    return this.repository.addAttempt(accountId, { phoneNumberId, kind, outcome, at });
  }
}

function budgetWords(used: number, remaining: number, blockedUntil: Date | null): string {
  if (blockedUntil) return `Meta blocked registering this number until ${blockedUntil.toISOString().replace('T', ' ').slice(0, 16)} UTC after too many attempts.`;
  const spent = used === 0 ? 'WABA Connect made no registration attempt for this number' : `WABA Connect made ${used} of Meta's ${REGISTRATION_LIMIT.attempts} allowed registration attempts`;
  return `${spent} in the last ${REGISTRATION_LIMIT.windowHours} hours; ${remaining} left (attempts made outside WABA Connect count too).`;
}
