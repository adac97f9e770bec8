import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { ActivatedRoute } from '@angular/router';
import type { OnboardingNumberView, SignupLinkPublicView } from '@waba/contracts';
import { AuthLayoutComponent } from '../auth/auth-layout.component';
import { messageOf } from '../core/http/api-error';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { EmbeddedSignupService } from '../whatsapp/embedded-signup.service';
import { stepName } from '../whatsapp/embedded-signup-message';
import { OnboardingAttemptsService } from '../whatsapp/onboarding-attempts.service';
import { WhatsappService } from '../whatsapp/whatsapp.service';
import { LinkSignupConfig } from './link-signup-config';
import { SignupLinkHolderService } from './signup-link-holder.service';

const NO_ATTEMPTS: Pick<OnboardingAttemptsService, 'start' | 'ended'> = { start: async () => null, ended: async () => undefined };

/**
 * Where a signup link lands (`/signup-link#<token>`), for someone without an account: who invites
 * them and what is shared, then Meta's Embedded Signup popup for that business; the numbers to
 * pick when the admin allowed it. The token is in the fragment, which the browser never sends.
 */
@Component({
  selector: 'app-signup-link-page',
  imports: [DatePipe, MatButtonModule, MatCheckboxModule, AuthLayoutComponent, FormErrorComponent],
  templateUrl: './signup-link.page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The holder is not signed in: the API records the funnel's attempt from the link's progress reports.
  providers: [LinkSignupConfig, EmbeddedSignupService, { provide: WhatsappService, useExisting: LinkSignupConfig }, { provide: OnboardingAttemptsService, useValue: NO_ATTEMPTS }],
})
export class SignupLinkPage implements OnInit {
  private readonly holder = inject(SignupLinkHolderService);
  private readonly signupConfig = inject(LinkSignupConfig);
  private readonly signup = inject(EmbeddedSignupService);
  private readonly token = inject(ActivatedRoute).snapshot.fragment ?? '';

  protected readonly view = signal<SignupLinkPublicView | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly loading = signal(true);
  protected readonly step = signal<'idle' | 'popup' | 'sending' | 'confirming'>('idle');
  protected readonly selected = signal<ReadonlySet<string>>(new Set());

  protected readonly numbers = computed(() => this.view()?.session?.wabas.flatMap((waba) => waba.numbers.map((number) => ({ waba: waba.name ?? waba.wabaId, number }))) ?? []);
  protected readonly outcomes = computed(() => this.numbers().filter(({ number }) => number.outcome));

  async ngOnInit(): Promise<void> {
    if (!this.token) {
      this.problem.set('This signup link is incomplete: open the whole link you were sent, or ask for a new one.');
      this.loading.set(false);
      return;
    }
    try {
      this.show(await this.holder.open(this.token));
    } catch (error) {
      this.problem.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** Meta's popup opens straight from the click (popup blockers); the API hears about it meanwhile. */
  protected async connect(): Promise<void> {
    if (this.step() !== 'idle') {
      return;
    }
    this.error.set(null);
    this.step.set('popup');
    const outcomePromise = this.signup.start();
    const started = this.holder.report({ token: this.token, step: 'consent_started' }).catch(() => null);
    try {
      const outcome = await outcomePromise;
      await started;
      if (outcome.kind === 'cancelled') {
        this.show(await this.holder.report({ token: this.token, step: 'cancelled', ...(outcome.step ? { currentStep: outcome.step } : {}) }));
        return;
      }
      if (outcome.kind === 'error') {
        this.show(
          await this.holder.report({
            token: this.token,
            step: 'failed',
            errorMessage: outcome.message,
            ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
            ...(outcome.sessionId ? { metaSessionId: outcome.sessionId } : {}),
          }),
        );
        this.error.set(`Meta stopped the sign-up: ${outcome.message}${outcome.errorCode ? ` (Meta error code ${outcome.errorCode})` : ''}`);
        return;
      }
      this.step.set('sending');
      this.show(await this.holder.finish(this.token, outcome.code, outcome.sessionInfo));
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.step.set('idle');
    }
  }

  protected toggle(number: OnboardingNumberView, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) {
      next.add(number.phoneNumberId);
    } else {
      next.delete(number.phoneNumberId);
    }
    this.selected.set(next);
  }

  protected pickable(number: OnboardingNumberView): boolean {
    return number.availability !== 'taken' && !number.outcome;
  }

  protected async confirm(): Promise<void> {
    if (this.selected().size === 0 || this.step() !== 'idle') {
      return;
    }
    this.error.set(null);
    this.step.set('confirming');
    try {
      this.show(await this.holder.confirm(this.token, [...this.selected()]));
      this.selected.set(new Set());
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.step.set('idle');
    }
  }

  protected stepName(step: string): string {
    return stepName(step);
  }

  private show(view: SignupLinkPublicView): void {
    this.view.set(view);
    if (view.embeddedSignup) {
      this.signupConfig.set(view.embeddedSignup);
      // Fetch Meta's SDK now, so the popup opens straight from the click.
      this.signup.prepare().catch(() => undefined);
    }
  }
}
