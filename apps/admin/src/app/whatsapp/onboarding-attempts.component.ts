import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { OnboardingAttemptView } from '@waba/contracts';
import { ONBOARDING_FLOW_LABELS, ONBOARDING_STEP_LABELS } from '@waba/contracts/onboarding-words';
import { filter } from 'rxjs';
import { messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { OnboardingAttemptsService } from './onboarding-attempts.service';

const SHOWN = 10;

/**
 * The workspace's recent attempts to connect WhatsApp: how far each got, and in words why one
 * stopped (Meta's codes behind "details for support"). Live: the API pushes every change.
 */
@Component({
  selector: 'app-onboarding-attempts',
  imports: [DatePipe, FormErrorComponent],
  template: `
    <section aria-labelledby="attempts-heading" class="section" data-testid="onboarding-attempts">
      <h2 id="attempts-heading">Connection attempts</h2>
      <app-form-error [message]="error()" />
      @if (attempts().length === 0 && !error()) {
        <p class="app-muted">No one has tried to connect WhatsApp yet.</p>
      }
      <ol class="attempts">
        @for (attempt of attempts(); track attempt.id) {
          <li [attr.data-status]="attempt.status" data-testid="onboarding-attempt">
            <p class="attempt-head">
              <strong>{{ outcomeOf(attempt) }}</strong>
              <span class="app-muted"> · {{ flowOf(attempt) }}{{ attempt.startedByName ? ', by ' + attempt.startedByName : '' }} · {{ attempt.startedAt | date: 'medium' }}</span>
            </p>
            @if (attempt.failures.length > 0) {
              <ul>
                @for (failure of attempt.failures; track failure.phoneNumberId) {
                  <li>{{ failure.displayPhone }}: {{ failure.reason }}</li>
                }
              </ul>
            }
            @if (attempt.error && (attempt.error.code || attempt.error.sessionId)) {
              <details>
                <summary>Details for support</summary>
                <p>
                  {{ attempt.error.source === 'meta' ? 'Meta error code' : 'Error code' }} {{ attempt.error.code ?? 'unknown' }}
                  @if (attempt.error.sessionId) {
                    , Meta session ID {{ attempt.error.sessionId }}
                  }
                </p>
              </details>
            }
          </li>
        }
      </ol>
    </section>
  `,
  styles: `
    .attempts {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 8px;
    }
    .attempts > li {
      border-left: 4px solid var(--mat-sys-outline-variant);
      padding: 4px 12px;
    }
    .attempts > li[data-status='completed'] {
      border-left-color: var(--mat-sys-primary);
    }
    .attempts > li[data-status='failed'],
    .attempts > li[data-status='partial'] {
      border-left-color: var(--mat-sys-error);
    }
    .attempt-head {
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardingAttemptsComponent implements OnInit {
  private readonly api = inject(OnboardingAttemptsService);
  protected readonly attempts = signal<OnboardingAttemptView[]>([]);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(RealtimeService)
      .events$.pipe(
        filter((event) => event.type === 'onboarding-attempt.updated'),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((event) => {
        if (event.type !== 'onboarding-attempt.updated') return;
        const others = this.attempts().filter((a) => a.id !== event.attempt.id);
        this.attempts.set([event.attempt, ...others].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, SHOWN));
      });
  }

  async ngOnInit(): Promise<void> {
    try {
      this.attempts.set(await this.api.list(SHOWN));
    } catch (error) {
      this.error.set(`Your connection attempts could not be loaded: ${messageOf(error)}`);
    }
  }

  protected flowOf(attempt: OnboardingAttemptView): string {
    return ONBOARDING_FLOW_LABELS[attempt.flow] ?? attempt.flow;
  }

  protected outcomeOf(attempt: OnboardingAttemptView): string {
    switch (attempt.status) {
      case 'completed':
        return `Connected ${count(attempt.numbersConnected ?? 0, 'number')}`;
      case 'partial':
        return `Connected ${attempt.numbersConnected ?? 0} of ${count(attempt.numbersPicked ?? 0, 'picked number')}; the others failed`;
      case 'cancelled':
        return attempt.cancelledAtStepLabel ? `Left Meta's window while ${attempt.cancelledAtStepLabel}` : "Left Meta's window before finishing";
      case 'failed':
        return attempt.failures.length > 0 ? 'No number could be connected' : `Stopped: ${attempt.error?.message ?? 'for a reason we did not record'}`;
      default:
        return `In progress: ${ONBOARDING_STEP_LABELS[attempt.reachedStep].toLowerCase()}`;
    }
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
