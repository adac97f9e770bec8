import { DatePipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import type { OnboardingFunnelView } from '@waba/contracts';
import { ApiError, messageOf } from '../core/http/api-error';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { OnboardingAttemptsService } from '../whatsapp/onboarding-attempts.service';

const DAY_MS = 24 * 3600_000;
const PERIODS = [7, 30, 90] as const;

/**
 * Operators: how onboardings fare across every workspace. Where people leave Meta's window and
 * which errors stop them, counted per step over a chosen period.
 */
@Component({
  selector: 'app-onboarding-funnel-page',
  imports: [DatePipe, PercentPipe, MatButtonToggleModule, FormErrorComponent],
  template: `
    <div class="page">
      <h1>Onboarding funnel</h1>
      <p class="app-muted">Every attempt to connect WhatsApp, in every workspace. Only operators see this page.</p>
      <mat-button-toggle-group [value]="days()" (change)="choose($event.value)" aria-label="Period">
        @for (period of periods; track period) {
          <mat-button-toggle [value]="period">Last {{ period }} days</mat-button-toggle>
        }
      </mat-button-toggle-group>
      <app-form-error [message]="error()" />
      @if (forbidden()) {
        <p>This page is for the people who run WABA Connect.</p>
      }
      @if (funnel(); as f) {
        <p data-testid="funnel-summary">
          {{ f.attempts }} attempt{{ f.attempts === 1 ? '' : 's' }} in {{ f.workspaces }} workspace{{ f.workspaces === 1 ? '' : 's' }}, {{ f.from | date: 'mediumDate' }} to
          {{ f.to | date: 'mediumDate' }}.
        </p>
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">How far attempts got</h2>
          <table class="funnel" data-testid="funnel-steps">
            <caption class="visually-hidden">
              Attempts that reached each step
            </caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Attempts</th>
                <th scope="col">Of all started</th>
              </tr>
            </thead>
            <tbody>
              @for (step of f.steps; track step.step) {
                <tr>
                  <th scope="row">{{ step.label }}</th>
                  <td>{{ step.attempts }}</td>
                  <td>
                    <span class="bar" [style.width.%]="f.attempts ? (step.attempts / f.attempts) * 100 : 0"></span>
                    {{ f.attempts ? (step.attempts / f.attempts | percent) : '–' }}
                  </td>
                </tr>
              }
            </tbody>
          </table>
          <p>
            Completed {{ f.outcomes.completed }}, partly connected {{ f.outcomes.partial }}, cancelled {{ f.outcomes.cancelled }}, failed {{ f.outcomes.failed }}, still open
            {{ f.outcomes.in_progress }}.
          </p>
        </section>
        <section aria-labelledby="left-heading">
          <h2 id="left-heading">Where people left Meta's window</h2>
          @if (f.cancelledAt.length === 0) {
            <p class="app-muted">No one cancelled in this period.</p>
          }
          <ul data-testid="funnel-cancelled">
            @for (entry of f.cancelledAt; track entry.key) {
              <li>{{ entry.count }} while {{ entry.label }}</li>
            }
          </ul>
        </section>
        <section aria-labelledby="errors-heading">
          <h2 id="errors-heading">What stopped them</h2>
          @if (f.errors.length === 0) {
            <p class="app-muted">No errors in this period.</p>
          }
          <ul data-testid="funnel-errors">
            @for (entry of f.errors; track entry.key) {
              <li>{{ entry.count }} × {{ entry.label }}</li>
            }
          </ul>
        </section>
        <section aria-labelledby="flows-heading">
          <h2 id="flows-heading">By way of connecting</h2>
          <ul>
            @for (entry of f.byFlow; track entry.key) {
              <li>{{ entry.label }}: {{ entry.count }}</li>
            }
          </ul>
        </section>
      }
    </div>
  `,
  styles: `
    .funnel td {
      min-width: 6em;
    }
    .bar {
      display: inline-block;
      height: 0.8em;
      margin-right: 8px;
      background: var(--mat-sys-primary);
      max-width: 12em;
      vertical-align: middle;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardingFunnelPage implements OnInit {
  private readonly api = inject(OnboardingAttemptsService);
  protected readonly periods = PERIODS;
  protected readonly days = signal<number>(30);
  protected readonly funnel = signal<OnboardingFunnelView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly forbidden = signal(false);

  ngOnInit(): Promise<void> {
    return this.load();
  }

  protected choose(days: number): Promise<void> {
    this.days.set(days);
    return this.load();
  }

  private async load(): Promise<void> {
    this.error.set(null);
    const to = new Date();
    try {
      this.funnel.set(await this.api.funnel({ from: new Date(to.getTime() - this.days() * DAY_MS).toISOString(), to: to.toISOString() }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) this.forbidden.set(true);
      else this.error.set(`The funnel could not be loaded: ${messageOf(error)}`);
    }
  }
}
