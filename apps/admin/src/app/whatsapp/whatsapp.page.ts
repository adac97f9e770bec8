import { DatePipe } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, DestroyRef, effect, ElementRef, inject, Injector, input, OnInit, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { AuditEntryView, OnboardingSessionView, PhoneNumberView, WabaView } from '@waba/contracts';
import { deriveNumberStatus, deriveWabaStatus, describeTokenHealth, wabaNeedsReconnect } from '@waba/contracts/status';
import { CLOCK } from '../core/clock';
import { ApiError, messageOf } from '../core/http/api-error';
import { NotificationService } from '../core/notify/notification.service';
import { RealtimeService } from '../core/realtime/realtime.service';
import { ConfirmService } from '../shared/ui/confirm-dialog.component';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { BROWSER_NAVIGATE } from './browser-navigate';
import { CoexistenceConnectComponent } from './coexistence-connect.component';
import { CoexistenceSyncComponent } from './coexistence-sync.component';
import { EmbeddedSignupService } from './embedded-signup.service';
import { OnboardingAttemptsComponent } from './onboarding-attempts.component';
import { stepName } from './embedded-signup-message';
import { ImportTokenFormComponent } from './import-token-form.component';
import { metaWords, qualityLabel, registrationLabel } from './labels';
import { ManualNumberFormComponent } from './manual-number-form.component';
import { NumberPinComponent } from './number-pin.component';
import { NumberHealthComponent } from './number-health.component';
import { NumberHealthService } from './number-health.service';
import { SessionService } from '../core/session/session.service';
import { OnboardingPickerComponent } from './onboarding-picker.component';
import { OAUTH_START_URL, WhatsappService } from './whatsapp.service';
import { SignupLinksSectionComponent } from '../signup-links/signup-links-section.component';
import { WhatsappStateService } from './whatsapp-state.service';

/** What the last consent attempt came to, shown above everything else. */
export interface SignupNotice {
  tone: 'info' | 'bad';
  title: string;
  lines: string[];
  /** Meta refused or failed: point to the manual add and the token import. */
  offerManualPath: boolean;
}

type Panel = 'manual' | 'import' | null;

const AUDIT_PAGE_SIZE = 10;

/** Connect WhatsApp, pick numbers, and look after the connected ones. */
@Component({
  selector: 'app-whatsapp-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatProgressBarModule,
    StatusBadgeComponent,
    FormErrorComponent,
    OnboardingPickerComponent,
    ManualNumberFormComponent,
    ImportTokenFormComponent,
    NumberPinComponent,
    OnboardingAttemptsComponent,
    SignupLinksSectionComponent,
    NumberHealthComponent,
    CoexistenceConnectComponent,
    CoexistenceSyncComponent,
    RouterLink,
  ],
  templateUrl: './whatsapp.page.html',
  styleUrl: './whatsapp.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WhatsappPage implements OnInit {
  private readonly api = inject(WhatsappService);
  private readonly signup = inject(EmbeddedSignupService);
  private readonly router = inject(Router);
  private readonly notifications = inject(NotificationService);
  private readonly confirmation = inject(ConfirmService);
  private readonly navigate = inject(BROWSER_NAVIGATE);
  private readonly now = inject(CLOCK);
  private readonly injector = inject(Injector);
  private readonly noticeBox = viewChild<ElementRef<HTMLElement>>('noticeBox');
  protected readonly state = inject(WhatsappStateService);
  protected readonly isOwner = inject(SessionService).isOwner;
  protected readonly numberHealth = inject(NumberHealthService);

  /** `?onboarding=<id>`: the picker for that consent (after the redirect flow, or a reload). */
  readonly onboarding = input<string | undefined>();

  protected readonly session = signal<OnboardingSessionView | null>(null);
  protected readonly sessionError = signal<string | null>(null);
  protected readonly signupStep = signal<'idle' | 'popup' | 'sending'>('idle');
  protected readonly notice = signal<SignupNotice | null>(null);
  protected readonly panel = signal<Panel>(null);
  protected readonly audit = signal<AuditEntryView[]>([]);
  protected readonly auditError = signal<string | null>(null);
  /** Activity is paged (newest first), so a long history never makes the page endless. */
  protected readonly auditPage = signal(0);
  protected readonly auditHasMore = signal(false);
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly rowMessages = signal<Readonly<Record<string, { tone: 'good' | 'bad'; text: string }>>>({});

  protected readonly qualityLabel = qualityLabel;
  protected readonly registrationLabel = registrationLabel;
  protected readonly metaWords = metaWords;

  constructor() {
    effect(() => {
      const id = this.onboarding();
      untracked(() => {
        if (id && this.session()?.id !== id) {
          void this.loadSession(id);
        } else if (!id) {
          this.session.set(null);
        }
      });
    });
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type === 'onboarding.updated' && event.session.id === this.session()?.id) {
        this.session.set(event.session);
      }
      if (event.type === 'whatsapp.changed') {
        void this.loadAudit();
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): void {
    void this.state.refresh();
    void this.loadAudit();
    void this.numberHealth.load();
    // Fetch Meta's SDK now, so the popup opens straight from the click (popup blockers).
    this.signup.prepare().catch(() => undefined);
  }

  protected health(waba: WabaView) {
    return describeTokenHealth(waba.connection, this.now());
  }

  protected wabaName(waba: WabaView): string {
    return waba.name ?? `WhatsApp Business Account ${waba.wabaId}`;
  }

  protected wabaStatus(waba: WabaView) {
    return deriveWabaStatus(waba, this.now());
  }

  protected numberStatus(number: PhoneNumberView, waba: WabaView) {
    return deriveNumberStatus(number, waba, this.now());
  }

  protected needsReconnect(waba: WabaView): boolean {
    return wabaNeedsReconnect(waba, this.now());
  }

  /**
   * Embedded Signup: Meta's popup, then the picker. Also the Reconnect buttons' flow; a number's
   * Reconnect names the number, so the picker starts with it ticked.
   */
  protected async connect(reconnectPhoneNumberId?: string): Promise<void> {
    if (this.signupStep() !== 'idle') {
      return;
    }
    this.notice.set(null);
    this.signupStep.set('popup');
    try {
      const outcome = await this.signup.start();
      if (outcome.kind === 'cancelled') {
        this.showNotice({
          tone: 'info',
          title: outcome.step ? `You closed Meta's window at step "${stepName(outcome.step)}"; nothing was connected.` : "You closed Meta's window before finishing; nothing was connected.",
          lines: ['Press Connect WhatsApp to start again when you are ready.'],
          offerManualPath: false,
        });
        return;
      }
      if (outcome.kind === 'error') {
        this.showNotice({
          tone: 'bad',
          title: `Meta stopped the sign-up: ${outcome.message}`,
          lines: [
            'This usually means Meta will not let this business use Embedded Signup right now (for example, the business owns a Meta app itself, or it is already linked to another provider).',
            ...(outcome.errorCode || outcome.sessionId
              ? [`Meta error code ${outcome.errorCode ?? 'unknown'}, session ID ${outcome.sessionId ?? 'unknown'}: quote them if you contact Meta support.`]
              : []),
            'You can still connect by adding the number by hand, or by importing it with an access token.',
          ],
          offerManualPath: true,
        });
        return;
      }
      this.signupStep.set('sending');
      const view = await this.api.fromEmbeddedSignup({
        code: outcome.code,
        ...(outcome.sessionInfo ? { sessionInfo: outcome.sessionInfo } : {}),
        ...(reconnectPhoneNumberId ? { reconnectPhoneNumberId } : {}),
        ...(outcome.attemptId ? { attemptId: outcome.attemptId } : {}),
      });
      if (outcome.finishEvent === 'FINISH_ONLY_WABA') {
        this.showNotice({
          tone: 'info',
          title: 'Meta shared a WhatsApp Business Account without a phone number.',
          lines: ['Add a number to it in WhatsApp Manager, then connect again to pick it.'],
          offerManualPath: false,
        });
      }
      this.openSession(view);
    } catch (error) {
      const forbidden = error instanceof ApiError && error.status === 403;
      this.showNotice({
        tone: 'bad',
        title: error instanceof ApiError ? error.message : error instanceof Error ? error.message : messageOf(error),
        lines: forbidden ? ['You can also add the number by hand, or import it with an access token.'] : [],
        offerManualPath: forbidden,
      });
    } finally {
      this.signupStep.set('idle');
    }
  }

  /** The full-page consent flow: the API redirects to Meta, which comes back to the callback page. */
  protected connectWithRedirect(): void {
    this.navigate(OAUTH_START_URL);
  }

  protected openPanel(panel: Panel): void {
    this.panel.set(this.panel() === panel ? null : panel);
  }

  protected openSession(view: OnboardingSessionView): void {
    this.session.set(view);
    this.sessionError.set(null);
    this.panel.set(null);
    void this.router.navigate([], { queryParams: { onboarding: view.id }, replaceUrl: true });
  }

  protected closeSession(): void {
    this.session.set(null);
    void this.router.navigate([], { queryParams: {}, replaceUrl: true });
  }

  protected onManualAdded(number: PhoneNumberView): void {
    this.panel.set(null);
    this.notifications.showSuccess(`${number.displayPhone} is connected.`);
    void this.state.reload();
    void this.loadAudit();
  }

  /** A flagged or restricted number becomes active only after its warning, in words, was confirmed. */
  protected async makeActive(number: PhoneNumberView, waba: WabaView): Promise<void> {
    const status = this.numberStatus(number, waba);
    const warned = status.kind === 'flagged' || status.kind === 'restricted';
    if (warned) {
      const ok = await this.confirmation.ask({
        title: `Make ${number.displayPhone} active although it is ${status.label.toLowerCase()}?`,
        message: `${status.explanation ?? ''} Messages from it may not get through. WABA Connect never chooses such a number by itself.`,
        confirmLabel: 'Make active anyway',
      });
      if (!ok) {
        return;
      }
    }
    await this.run(`active:${number.phoneNumberId}`, async () => {
      this.state.mergeNumber(await this.api.makeActive(number.phoneNumberId, warned));
      this.notifications.showSuccess(`${number.displayPhone} is now the active number.`);
    });
  }

  protected async testConnection(number: PhoneNumberView): Promise<void> {
    await this.run(`test:${number.phoneNumberId}`, async () => {
      try {
        const fresh = await this.api.refresh(number.phoneNumberId);
        this.state.mergeNumber(fresh);
        this.setRowMessage(number.phoneNumberId, { tone: 'good', text: 'Connection works: Meta answered just now.' });
      } catch (error) {
        this.setRowMessage(number.phoneNumberId, { tone: 'bad', text: messageOf(error) });
      }
    });
  }

  /**
   * "Retry" on a number whose connect stopped: the subscription is tried again at once; when the
   * number still needs registering, the admin is told what that costs and decides.
   */
  protected async retry(number: PhoneNumberView): Promise<void> {
    await this.run(`retry:${number.phoneNumberId}`, async () => {
      try {
        this.state.mergeNumber(await this.api.retry(number.phoneNumberId));
        this.setRowMessage(number.phoneNumberId, { tone: 'good', text: `${number.displayPhone} is connected.` });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'registration_needs_consent')) {
          this.setRowMessage(number.phoneNumberId, { tone: 'bad', text: messageOf(error) });
          return;
        }
        const budget = await this.api.registrationBudget(number.phoneNumberId).catch(() => null);
        const ok = await this.confirmation.ask({
          title: `Register ${number.displayPhone} again?`,
          message: `${number.displayPhone} still has to be registered for the Cloud API. ${budget?.words ?? "Each try spends one of Meta's 10 registration attempts per 72 hours."}`,
          confirmLabel: 'Register again',
        });
        if (!ok) return;
        try {
          this.state.mergeNumber(await this.api.retry(number.phoneNumberId, true));
          this.setRowMessage(number.phoneNumberId, { tone: 'good', text: `${number.displayPhone} is registered and connected.` });
        } catch (again) {
          this.setRowMessage(number.phoneNumberId, { tone: 'bad', text: messageOf(again) });
        }
      }
    });
  }

  protected async disconnectNumber(number: PhoneNumberView): Promise<void> {
    const ok = await this.confirmation.ask({
      title: `Disconnect ${number.displayPhone}?`,
      message: 'Messages to this number will no longer reach WABA Connect. Its history is kept, and you can reconnect it later.',
      confirmLabel: 'Disconnect',
    });
    if (!ok) {
      return;
    }
    await this.run(`disconnect:${number.phoneNumberId}`, async () => {
      this.state.set(await this.api.disconnectNumber(number.phoneNumberId));
      this.notifications.showSuccess(`${number.displayPhone} is disconnected.`);
    });
  }

  protected async disconnectWaba(waba: WabaView): Promise<void> {
    const name = this.wabaName(waba);
    const ok = await this.confirmation.ask({
      title: `Disconnect ${name}?`,
      message: `All ${waba.numbers.length} of its numbers stop working with WABA Connect and our app unsubscribes from the account. History is kept; you can reconnect later.`,
      confirmLabel: 'Disconnect account',
    });
    if (!ok) {
      return;
    }
    await this.run(`waba:${waba.wabaId}`, async () => {
      this.state.set(await this.api.disconnectWaba(waba.wabaId));
      this.notifications.showSuccess(`${name} is disconnected.`);
    });
  }

  protected isBusy(key: string): boolean {
    return this.busy().has(key);
  }

  protected auditPageTo(page: number): void {
    this.auditPage.set(Math.max(0, page));
    void this.loadAudit();
  }

  /** Who acted: the person's name, or what acted for the tenant ("Meta webhook", "operator command" ...). */
  protected actorOf(entry: AuditEntryView): string {
    if (!entry.actorName || entry.actorName === 'system') {
      return 'WABA Connect (automatic)';
    }
    return entry.actorName.charAt(0).toUpperCase() + entry.actorName.slice(1);
  }

  protected async loadAudit(): Promise<void> {
    try {
      // One more than a page tells whether an older page exists.
      const entries = await this.api.auditLog(AUDIT_PAGE_SIZE + 1, this.auditPage() * AUDIT_PAGE_SIZE);
      this.audit.set(entries.slice(0, AUDIT_PAGE_SIZE));
      this.auditHasMore.set(entries.length > AUDIT_PAGE_SIZE);
      this.auditError.set(null);
    } catch (error) {
      this.auditError.set(messageOf(error));
    }
  }

  private async loadSession(id: string): Promise<void> {
    this.sessionError.set(null);
    try {
      this.session.set(await this.api.onboarding(id));
    } catch (error) {
      this.sessionError.set(messageOf(error));
    }
  }

  private async run(key: string, action: () => Promise<void>): Promise<void> {
    if (this.busy().has(key)) {
      return;
    }
    this.busy.update((keys) => new Set(keys).add(key));
    try {
      await action();
      void this.loadAudit();
    } catch (error) {
      this.notifications.showError(messageOf(error));
    } finally {
      this.busy.update((keys) => {
        const next = new Set(keys);
        next.delete(key);
        return next;
      });
    }
  }

  private setRowMessage(phoneNumberId: string, message: { tone: 'good' | 'bad'; text: string }): void {
    this.rowMessages.update((messages) => ({ ...messages, [phoneNumberId]: message }));
  }

  private showNotice(notice: SignupNotice): void {
    this.notice.set(notice);
    afterNextRender(() => this.noticeBox()?.nativeElement.focus(), { injector: this.injector });
  }
}
