import { Injectable } from '@nestjs/common';
import { REGISTRATION_LIMIT, type RegistrationBudgetView } from '@waba/contracts';
import { isRegistrationLimit, MetaGraphClient, MetaGraphError } from '@waba/meta-graph';
import { Clock } from '../common/clock/clock';
import { ConflictError } from '../common/errors/domain-errors';
import { RegistrationAttemptsRepository } from './registration-attempts.repository';

const WINDOW_MS = REGISTRATION_LIMIT.windowHours * 3600_000;

/**
 * Meta's register/deregister budget of a number (10 in a moving 72 hours; the 11th is refused
 * with 133016 and blocks registering for 72 hours), counted from the attempts we made. Shown
 * before anything that spends it, and checked so we never spend the last ones blindly. Every
 * `/register` goes through `register` here (connecting, retrying, the health fix, a new display
 * name), so every attempt is counted the same way.
 */
@Injectable()
export class RegistrationBudgetService {
  constructor(
    private readonly repository: RegistrationAttemptsRepository,
    private readonly graph: MetaGraphClient,
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

  /**
   * Registers the number with `pin`: exactly one call, never retried, counted whatever Meta
   * answered; Meta's 133016 is counted as the 72-hour block it starts. Throws what the Graph
   * client threw, for the caller to put in words. Checking the room first is the caller's choice
   * (`requireRoom`): connecting a number for the first time does not.
   */
  async register(accountId: string, phoneNumberId: string, token: string, pin: string): Promise<void> {
    const at = this.clock.now();
    try {
      await this.graph.registerPhone(token, phoneNumberId, pin);
    } catch (error) {
      // A Graph failure may have reached Meta, so it counts; any other error never left this process.
      if (error instanceof MetaGraphError) await this.record(accountId, phoneNumberId, isRegistrationLimit(error) ? 'limited' : 'failed', at);
      throw error;
    }
    await this.record(accountId, phoneNumberId, 'ok', at);
  }

  private record(accountId: string, phoneNumberId: string, outcome: 'ok' | 'failed' | 'limited', at: Date): Promise<void> {
    return this.repository.addAttempt(accountId, { phoneNumberId, kind: 'register', outcome, at });
  }
}

function budgetWords(used: number, remaining: number, blockedUntil: Date | null): string {
  if (blockedUntil) return `Meta blocked registering this number until ${blockedUntil.toISOString().replace('T', ' ').slice(0, 16)} UTC after too many attempts.`;
  const spent = used === 0 ? 'WABA Connect made no registration attempt for this number' : `WABA Connect made ${used} of Meta's ${REGISTRATION_LIMIT.attempts} allowed registration attempts`;
  return `${spent} in the last ${REGISTRATION_LIMIT.windowHours} hours; ${remaining} left (attempts made outside WABA Connect count too).`;
}
