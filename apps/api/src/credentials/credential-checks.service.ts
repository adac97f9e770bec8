import { Injectable } from '@nestjs/common';
import { CredentialChecksRepository, type CheckedConnection, type CheckResult, type SweepScope } from './credential-checks.repository';

export type { CheckedConnection, CheckResult, SweepScope } from './credential-checks.repository';

/**
 * What the token check (token-refresh) reads and writes of the credentials: which are due, and
 * what a check found. This module stays the only writer of `meta_connections`.
 */
@Injectable()
export class CredentialChecksService {
  constructor(private readonly repository: CredentialChecksRepository) {}

  /** Credentials saved before the check existed have no `nextCheckAt`: due now. How many. */
  scheduleUnscheduled(now: Date): Promise<number> {
    return this.repository.scheduleUnscheduled(now);
  }

  /** Due credentials in pages, from one cursor; those the check leaves alone are unscheduled on the way. */
  dueCredentials(scope: SweepScope, now: Date): AsyncGenerator<CheckedConnection[]> {
    return this.repository.dueCredentials(scope, now);
  }

  /** The credential a check job is for, when it still is in a state the check works on. */
  findCheckable(id: string): Promise<CheckedConnection | null> {
    return this.repository.findCheckable(id);
  }

  /** What a finished check found; moving `nextCheckAt` on makes it no longer due. */
  recordCheck(id: string, result: CheckResult): Promise<void> {
    return this.repository.recordCheck(id, result);
  }

  /** A check that failed for good: retried at `nextCheckAt`, status and token untouched. */
  recordFailure(id: string, failure: string, nextCheckAt: Date): Promise<void> {
    return this.repository.recordFailure(id, failure, nextCheckAt);
  }

  /** `--all`: every scheduled credential in scope is due now. How many. */
  makeDue(scope: SweepScope, now: Date): Promise<number> {
    return this.repository.makeDue(scope, now);
  }

  /** About how many are due: the total a dry run's progress bar shows. */
  countDue(scope: SweepScope, now: Date, all = false): Promise<number> {
    return this.repository.countDue(scope, now, all);
  }

  /** Dry run: what a sweep would check, read without writing anything. */
  listDue(scope: SweepScope, now: Date, all = false): AsyncGenerator<CheckedConnection> {
    return this.repository.listDue(scope, now, all);
  }
}
