import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { HealthCheckView, HealthFix, NumberVerdict } from '@waba/contracts';
import { messageOf } from '../core/http/api-error';
import { StatusBadgeComponent, type StatusTone } from '../shared/ui/status-badge.component';
import { NumberHealthService } from './number-health.service';

const TONE: Record<NumberVerdict, StatusTone> = { can_send: 'good', limited: 'warn', cannot_send: 'bad' };
const FIX_LABEL: Record<HealthFix, string> = { reconnect: 'Reconnect', resubscribe: 'Subscribe again', re_register: 'Register again' };
const OUTCOME_TONE: Record<HealthCheckView['outcome'], StatusTone> = { blocks: 'bad', limits: 'warn', warn: 'warn', unknown: 'neutral', pass: 'good' };

/**
 * "Can this number send?" on the number's row: the verdict in words, each check that does not
 * pass with why, what to do and the button that fixes it; the passing checks behind a disclosure.
 */
@Component({
  selector: 'app-number-health',
  imports: [MatButtonModule, StatusBadgeComponent],
  template: `
    <section class="health" [attr.aria-label]="'Can ' + displayPhone() + ' send?'" data-testid="number-health">
      @if (view(); as health) {
        <p class="verdict">
          <app-status-badge data-testid="number-verdict" [label]="health.verdictLabel" [tone]="tone(health.verdict)" />
          <span data-testid="number-verdict-summary">{{ health.summary }}</span>
        </p>
        @if (problems().length > 0) {
          <ul class="checks" [attr.aria-label]="'What stops or limits ' + displayPhone()">
            @for (check of problems(); track check.key) {
              <li class="check" [attr.data-check]="check.key" [attr.data-outcome]="check.outcome">
                <p class="check-head">
                  <app-status-badge [label]="check.label" [tone]="outcomeTone(check)" />
                  <span>{{ check.summary }}</span>
                </p>
                @if (check.why) {
                  <p class="app-muted">Why it matters: {{ check.why }}</p>
                }
                @if (check.whatToDo) {
                  <p>What to do: {{ check.whatToDo }}</p>
                }
                @if (check.fix; as fix) {
                  <button mat-stroked-button type="button" [disabled]="busy(fix)" (click)="applyFix(fix)" [attr.aria-label]="fixLabel(fix) + ' for ' + displayPhone()">
                    {{ busy(fix) ? 'Working…' : fixLabel(fix) }}
                  </button>
                }
                @if (check.details) {
                  <details class="support">
                    <summary>Details for support</summary>
                    <code>{{ check.details }}</code>
                  </details>
                }
              </li>
            }
          </ul>
        }
        <details class="passing">
          <summary>{{ passing().length }} of {{ health.checks.length }} checks pass · checked {{ checkedAt(health.checkedAt) }}</summary>
          <ul>
            @for (check of passing(); track check.key) {
              <li>{{ check.label }}: {{ check.summary }}</li>
            }
          </ul>
        </details>
        <p role="alert" class="error-text" [hidden]="!fixError()">{{ fixError() }}</p>
      } @else {
        <p class="app-muted" data-testid="number-verdict-summary">Not checked yet: press "Check now" to ask Meta whether this number can send.</p>
      }
    </section>
  `,
  styles: `
    .health {
      margin-top: 8px;
      padding: 8px 12px;
      border-left: 3px solid var(--mat-sys-outline-variant);
    }
    .verdict,
    .check-head {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin: 4px 0;
    }
    .checks {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .check {
      padding: 6px 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .check p {
      margin: 2px 0;
    }
    .support code {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NumberHealthComponent {
  private readonly health = inject(NumberHealthService);

  readonly phoneNumberId = input.required<string>();
  readonly wabaId = input.required<string>();
  readonly displayPhone = input.required<string>();
  /** The fix "Reconnect" runs the page's consent flow for this number. */
  readonly reconnect = output<void>();

  protected readonly view = computed(() => this.health.of(this.phoneNumberId()));
  protected readonly problems = computed(() => (this.view()?.checks ?? []).filter((c) => c.outcome !== 'pass'));
  protected readonly passing = computed(() => (this.view()?.checks ?? []).filter((c) => c.outcome === 'pass'));
  protected readonly fixError = signal<string | null>(null);

  protected tone(verdict: NumberVerdict): StatusTone {
    return TONE[verdict];
  }

  protected outcomeTone(check: HealthCheckView): StatusTone {
    return OUTCOME_TONE[check.outcome];
  }

  protected fixLabel(fix: HealthFix): string {
    return FIX_LABEL[fix];
  }

  protected busy(fix: HealthFix): boolean {
    return this.health.fixing() === `${fix}:${fix === 'resubscribe' ? this.wabaId() : this.phoneNumberId()}`;
  }

  protected checkedAt(iso: string): string {
    return new Date(iso).toLocaleString();
  }

  protected async applyFix(fix: HealthFix): Promise<void> {
    this.fixError.set(null);
    if (fix === 'reconnect') {
      this.reconnect.emit();
      return;
    }
    try {
      await (fix === 'resubscribe' ? this.health.resubscribe(this.wabaId()) : this.health.reRegister(this.phoneNumberId()));
    } catch (error) {
      this.fixError.set(messageOf(error));
    }
  }
}
