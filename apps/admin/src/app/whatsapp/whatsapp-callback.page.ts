import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { messageOf } from '../core/http/api-error';
import { BROWSER_NAVIGATE } from './browser-navigate';
import { OAUTH_START_URL, WhatsappService } from './whatsapp.service';

/**
 * Where Meta's full-page consent comes back: `?code=…&state=…`, or `?error=…` when the person
 * cancelled. Posts the code and state once, then opens the picker on the WhatsApp page.
 */
@Component({
  selector: 'app-whatsapp-callback-page',
  imports: [MatButtonModule, MatProgressBarModule, RouterLink],
  template: `
    <div class="app-page">
      <h1>Connecting WhatsApp</h1>
      <div role="status" aria-live="polite">
        @if (error(); as message) {
          <div class="problem" role="alert">
            <p>
              <strong>{{ message }}</strong>
            </p>
            <p>Nothing was connected.</p>
          </div>
        } @else {
          <p>Connecting… checking with Meta what you shared.</p>
          <mat-progress-bar mode="indeterminate" aria-label="Connecting" />
        }
      </div>
      @if (error()) {
        <div class="actions">
          <button mat-flat-button type="button" (click)="tryAgain()">Try again</button>
          <a mat-button routerLink="/whatsapp">Back to WhatsApp</a>
        </div>
      }
    </div>
  `,
  styles: `
    .problem {
      padding: 12px 16px;
      border-radius: 8px;
      border-left: 4px solid var(--mat-sys-error);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      p {
        margin: 0 0 8px;
      }
    }
    .actions {
      display: flex;
      gap: 12px;
      margin-top: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WhatsappCallbackPage implements OnInit {
  private readonly api = inject(WhatsappService);
  private readonly router = inject(Router);
  private readonly navigate = inject(BROWSER_NAVIGATE);

  readonly code = input<string | undefined>();
  readonly state = input<string | undefined>();
  // Meta's names for a cancelled or refused consent.
  // eslint-disable-next-line @angular-eslint/no-input-rename
  readonly metaError = input<string | undefined>(undefined, { alias: 'error' });
  // eslint-disable-next-line @angular-eslint/no-input-rename
  readonly errorReason = input<string | undefined>(undefined, { alias: 'error_reason' });
  // eslint-disable-next-line @angular-eslint/no-input-rename
  readonly errorDescription = input<string | undefined>(undefined, { alias: 'error_description' });
  // eslint-disable-next-line @angular-eslint/no-input-rename
  readonly errorCode = input<string | undefined>(undefined, { alias: 'error_code' });

  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.complete();
  }

  protected tryAgain(): void {
    this.navigate(OAUTH_START_URL);
  }

  /** For the onboarding history: best effort, the page has already said what happened. */
  private recordEnded(): void {
    const state = this.state();
    if (!state) return;
    void this.router.navigate([], { queryParams: {}, replaceUrl: true });
    const optional = (value: string | undefined) => value || undefined;
    this.api
      .redirectEnded({
        state,
        error: this.metaError() || 'unknown',
        errorReason: optional(this.errorReason()),
        errorCode: optional(this.errorCode()),
        errorDescription: optional(this.errorDescription()),
      })
      .catch(() => undefined);
  }

  private async complete(): Promise<void> {
    if (this.metaError() || this.errorReason()) {
      this.error.set(this.errorReason() === 'user_denied' ? 'You cancelled on Meta’s page.' : `Meta did not connect your account${this.errorDescription() ? `: ${this.errorDescription()}` : '.'}`);
      this.recordEnded();
      return;
    }
    const code = this.code();
    const state = this.state();
    if (!code || !state) {
      this.error.set('This page was opened without Meta’s answer. Start the connection again.');
      return;
    }
    // Drop code and state from the address bar (and history) before anything else: they are single-use.
    void this.router.navigate([], { queryParams: {}, replaceUrl: true });
    try {
      const session = await this.api.fromRedirect({ code, state });
      await this.router.navigate(['/whatsapp'], { queryParams: { onboarding: session.id }, replaceUrl: true });
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }
}
