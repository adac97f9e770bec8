import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { OnboardingSessionView } from '@waba/contracts';
import { ApiError } from '../core/http/api-error';
import { EmbeddedSignupService } from './embedded-signup.service';
import { stepName } from './embedded-signup-message';
import { WhatsappService } from './whatsapp.service';

/**
 * "I use the WhatsApp Business app on this number": Embedded Signup for a number that stays on the
 * app (Meta's coexistence flow), with what changes for the business said in words first.
 */
@Component({
  selector: 'app-coexistence-connect',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="coexistence-connect" aria-labelledby="coexistence-connect-title" data-testid="coexistence-connect">
      <h2 id="coexistence-connect-title">Already chatting with customers in the WhatsApp Business app?</h2>
      <p>Connect that same number here and keep using the app. Meta asks you to scan a code with the app on your phone, and lets you choose whether to share your past chats.</p>
      <details>
        <summary>What changes for your business</summary>
        <ul>
          <li>The WhatsApp Business app keeps working: you can still reply from your phone, and messages sent here and in the app appear in both.</li>
          <li>
            Sending is slower than on a number used only here: WhatsApp fixes it at 20 messages per second (other numbers start at 80 and can grow to 1,000), so very large campaigns take longer.
          </li>
          <li>
            Right after connecting, we ask WhatsApp once for your app's contacts and, if you agreed, up to six months of past chats (not group chats). WhatsApp allows this only within 24 hours of
            connecting.
          </li>
          <li>Open the WhatsApp Business app on your phone at least every 14 days: if you do not, WhatsApp disconnects the number from here.</li>
          <li>
            If you leave (disconnect in the app's settings, change phone or re-register the app), the number stops working here and goes on working in the app only; connecting again later starts a new
            one-time sync.
          </li>
        </ul>
      </details>
      <button mat-stroked-button type="button" class="coexistence-start" [disabled]="disabled() || busy()" (click)="start()">
        {{ busy() ? 'Waiting for Meta…' : 'I use the WhatsApp Business app on this number' }}
      </button>
      @if (problem(); as text) {
        <p class="app-muted" role="alert" data-testid="coexistence-problem">{{ text }}</p>
      }
    </section>
  `,
  styles: `
    .coexistence-connect {
      margin-block: 1rem;
    }
    .coexistence-connect h2 {
      font-size: 1.1rem;
    }
    .coexistence-connect ul {
      padding-inline-start: 1.25rem;
    }
  `,
})
export class CoexistenceConnectComponent {
  private readonly signup = inject(EmbeddedSignupService);
  private readonly api = inject(WhatsappService);

  /** True while another sign-up runs on the page. */
  readonly disabled = input(false);
  /** The consent's numbers, for the page's picker. */
  readonly sessionStarted = output<OnboardingSessionView>();

  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);

  protected async start(): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      const outcome = await this.signup.start('whatsapp_business_app_onboarding');
      if (outcome.kind === 'cancelled') {
        this.problem.set(outcome.step ? `You closed Meta's window at step "${stepName(outcome.step)}"; nothing was connected.` : "You closed Meta's window before finishing; nothing was connected.");
        return;
      }
      if (outcome.kind === 'error') {
        this.problem.set(`Meta stopped the sign-up: ${outcome.message}${outcome.errorCode ? ` (Meta error code ${outcome.errorCode}, for support)` : ''}`);
        return;
      }
      // Meta's finish for an app number may name only the WhatsApp Business Account: the API finds the number through it.
      const view = await this.api.fromEmbeddedSignup({ code: outcome.code, ...(outcome.sessionInfo ? { sessionInfo: outcome.sessionInfo } : {}) });
      this.sessionStarted.emit(view);
    } catch (error) {
      this.problem.set(error instanceof ApiError ? error.message : error instanceof Error ? error.message : 'The sign-up could not finish; try again.');
    } finally {
      this.busy.set(false);
    }
  }
}
