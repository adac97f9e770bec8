import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import type { CreatedSignupLinkView, SignupLinkExpiry, SignupLinkState, SignupLinkStep, SignupLinkView } from '@waba/contracts';
import { messageOf } from '../core/http/api-error';
import { NewestAnswer } from '../core/newest-answer';
import { RealtimeService } from '../core/realtime/realtime.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { SignupLinksService } from './signup-links.service';

/** The expiry choices, in words; the API accepts exactly these keys. */
const EXPIRY_LABELS: Record<SignupLinkExpiry, string> = { '1h': '1 hour', '24h': '24 hours', '72h': '3 days', '7d': '7 days' };
const STEP_LABELS: Record<SignupLinkStep, string> = {
  created: 'Created',
  opened: 'Opened',
  consent_started: 'Started Meta’s sign-up',
  cancelled: 'Cancelled',
  failed: 'Failed',
  finished: 'Consent given',
  connected: 'Numbers connected',
  revoked: 'Revoked',
};
const TONES: Record<SignupLinkState, 'good' | 'warn' | 'bad' | 'neutral'> = {
  created: 'neutral',
  opened: 'neutral',
  consent_started: 'neutral',
  cancelled: 'warn',
  failed: 'bad',
  finished: 'warn',
  connected: 'good',
  expired: 'neutral',
  revoked: 'neutral',
};
/** States in which the link still works, so it can be revoked. */
const LIVE: SignupLinkState[] = ['created', 'opened', 'consent_started', 'cancelled', 'failed'];

/**
 * Onboarding by link, the admin's side: create a single-use link for the person who owns the Meta
 * business (shown once), follow each link's progress live, revoke it, and pick the numbers its
 * consent shared (in the WhatsApp page's own picker).
 */
@Component({
  selector: 'app-signup-links-section',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  templateUrl: './signup-links-section.component.html',
  styleUrl: './signup-links-section.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignupLinksSectionComponent implements OnInit {
  private readonly api = inject(SignupLinksService);
  private readonly router = inject(Router);

  protected readonly links = signal<SignupLinkView[]>([]);
  protected readonly error = signal<string | null>(null);
  private readonly loads = new NewestAnswer();
  protected readonly creating = signal(false);
  protected readonly created = signal<CreatedSignupLinkView | null>(null);
  protected readonly copied = signal(false);
  protected readonly busy = signal<string | null>(null);
  protected readonly formOpen = signal(false);

  protected readonly form = inject(NonNullableFormBuilder).group({
    note: ['', [Validators.maxLength(100)]],
    expiresIn: ['24h' as SignupLinkExpiry, [Validators.required]],
    holderPicks: [false],
  });
  protected readonly expiries = Object.entries(EXPIRY_LABELS) as [SignupLinkExpiry, string][];
  protected readonly stepLabels = STEP_LABELS;
  protected readonly tones = TONES;

  constructor() {
    const subscription = inject(RealtimeService).events$.subscribe((event) => {
      if (event.type === 'signup-link.updated') {
        this.upsert(event.link);
      } else if (event.type === 'onboarding.updated' && this.links().some((l) => l.onboardingSessionId === event.session.id)) {
        // The admin (or the holder) connected the picked numbers: the link now reads "Numbers connected".
        void this.load();
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): void {
    void this.load();
  }

  protected isLive(link: SignupLinkView): boolean {
    return LIVE.includes(link.state);
  }

  protected async create(): Promise<void> {
    if (this.creating()) {
      return;
    }
    this.creating.set(true);
    this.error.set(null);
    this.copied.set(false);
    try {
      const { note, expiresIn, holderPicks } = this.form.getRawValue();
      const link = await this.api.create({ expiresIn, holderPicks, ...(note.trim() ? { note: note.trim() } : {}) });
      this.created.set(link);
      this.upsert(link);
      this.form.reset();
      this.formOpen.set(false);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.creating.set(false);
    }
  }

  protected async copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.copied.set(true);
    } catch {
      // No clipboard access (permissions): the field is selectable, so the admin can copy by hand.
      this.copied.set(false);
    }
  }

  protected async revoke(link: SignupLinkView): Promise<void> {
    this.busy.set(link.id);
    this.error.set(null);
    try {
      this.upsert(await this.api.revoke(link.id));
      if (this.created()?.id === link.id) {
        this.created.set(null);
      }
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(null);
    }
  }

  /** The WhatsApp page opens its picker for `?onboarding=<id>`. */
  protected pick(link: SignupLinkView): void {
    void this.router.navigate(['/whatsapp'], { queryParams: { onboarding: link.onboardingSessionId } });
  }

  protected titleOf(link: SignupLinkView): string {
    return link.note ? `Link for ${link.note}` : 'Signup link';
  }

  private load(): Promise<void> {
    return this.loads.run(
      () => this.api.list(),
      (links) => this.links.set(links),
      (error) => this.error.set(messageOf(error)),
    );
  }

  private upsert(link: SignupLinkView): void {
    // Never keep the one-time link in the list: only the creation notice shows it.
    const { id, state, stateLabel, explanation, note, holderPicks, createdByName, createdAt, expiresAt, openedAt, usedAt, revokedAt, cancelledAtStep, lastError, onboardingSessionId, progress } = link;
    const view: SignupLinkView = {
      id,
      state,
      stateLabel,
      explanation,
      note,
      holderPicks,
      createdByName,
      createdAt,
      expiresAt,
      openedAt,
      usedAt,
      revokedAt,
      cancelledAtStep,
      lastError,
      onboardingSessionId,
      progress,
    };
    const others = this.links().filter((l) => l.id !== id);
    this.links.set([view, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  }
}
