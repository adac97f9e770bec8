import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import type { AttentionFix, ConnectionSource, HealthFix, HealthView, NumberVerdict, OnboardingInProgressView, OverviewView } from '@waba/contracts';
import { debounceTime, filter } from 'rxjs';
import { CLOCK } from '../core/clock';
import { messageOf } from '../core/http/api-error';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { OverviewService } from './overview.service';

/** What fixes an attention row, as the words of its link (all on the WhatsApp page). */
const FIX_LABEL: Record<AttentionFix, string> = { reconnect: 'Reconnect', review_number: 'Review the number', review_account: 'Review the account' };
/** What fixes a health row, as the words of its link to the number on the WhatsApp page. */
const HEALTH_FIX_LABEL: Record<HealthFix, string> = { reconnect: 'Reconnect', resubscribe: 'Subscribe again', re_register: 'Register again' };
const VERDICT_TONE: Record<NumberVerdict, 'good' | 'warn' | 'bad'> = { can_send: 'good', limited: 'warn', cannot_send: 'bad' };
const SOURCE_LABEL: Record<ConnectionSource, string> = { embedded_signup: 'Embedded Signup', oauth: 'Meta sign-in', manual: 'an access token' };
/** Realtime events after which the dashboard reads again (bursts of webhooks come as one reload). */
const REFRESHING_EVENTS = new Set(['number-health.updated', 'whatsapp.changed', 'phone-number.updated', 'connection.updated', 'onboarding.updated', 'event.created']);

/** The tenant's dashboard: numbers by status, what needs attention, consents in progress, latest events. */
@Component({
  selector: 'app-overview-page',
  imports: [DatePipe, RouterLink, MatCardModule, MatButtonModule, StatusBadgeComponent],
  templateUrl: './overview.page.html',
  styleUrl: './overview.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewPage implements OnInit {
  private readonly overviewApi = inject(OverviewService);
  private readonly session = inject(SessionService);
  private readonly now = inject(CLOCK);

  protected readonly user = this.session.user;
  protected readonly account = this.session.account;
  protected readonly overview = signal<OverviewView | null>(null);
  protected readonly overviewError = signal<string | null>(null);
  protected readonly health = signal<HealthView | null>(null);
  protected readonly healthError = signal<string | null>(null);
  protected readonly checking = signal(false);
  protected readonly databaseUp = computed(() => this.health()?.database.status === 'up');
  /** Nothing connected and nothing on the way: the first step is the only thing to show. */
  protected readonly empty = computed(() => {
    const view = this.overview();
    return !!view && view.numbers.length === 0 && view.onboarding.length === 0;
  });
  protected readonly fixLabel = FIX_LABEL;
  protected readonly verdictTone = VERDICT_TONE;

  constructor() {
    const subscription = inject(RealtimeService)
      .events$.pipe(
        filter((event) => REFRESHING_EVENTS.has(event.type)),
        debounceTime(300),
      )
      .subscribe(() => void this.loadOverview());
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): void {
    void this.loadOverview();
    void this.checkHealth();
  }

  protected async loadOverview(): Promise<void> {
    try {
      this.overview.set(await this.overviewApi.getOverview());
      this.overviewError.set(null);
    } catch (error) {
      this.overviewError.set(messageOf(error));
    }
  }

  protected async checkHealth(): Promise<void> {
    this.checking.set(true);
    this.healthError.set(null);
    try {
      this.health.set(await this.overviewApi.getHealth());
    } catch (error) {
      this.health.set(null);
      this.healthError.set(messageOf(error));
    } finally {
      this.checking.set(false);
    }
  }

  protected healthFixLabel(fix: HealthFix | null): string {
    return fix ? HEALTH_FIX_LABEL[fix] : 'See why';
  }

  protected describeOnboarding(session: OnboardingInProgressView): string {
    const numbers = session.numberCount === 1 ? '1 number' : `${session.numberCount} numbers`;
    const accounts = session.wabaCount === 1 ? '1 WhatsApp Business Account' : `${session.wabaCount} WhatsApp Business Accounts`;
    return `A consent through ${SOURCE_LABEL[session.source]} shared ${numbers} in ${accounts}; choose which to connect.`;
  }

  /** "expires in 43 minutes", from the injected clock. */
  protected expiresIn(expiresAt: string): string {
    const minutes = Math.floor((Date.parse(expiresAt) - this.now()) / 60_000);
    if (minutes < 1) {
      return 'expires in less than a minute';
    }
    if (minutes < 60) {
      return `expires in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
    }
    const hours = Math.floor(minutes / 60);
    return `expires in ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  }

  protected formatUptime(seconds: number): string {
    const minutes = Math.floor(seconds / 60);
    if (minutes < 1) {
      return 'less than a minute';
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 1) {
      return minutes === 1 ? '1 minute' : `${minutes} minutes`;
    }
    const days = Math.floor(hours / 24);
    if (days < 1) {
      return hours === 1 ? '1 hour' : `${hours} hours`;
    }
    return days === 1 ? '1 day' : `${days} days`;
  }
}
