import { afterNextRender, ChangeDetectionStrategy, Component, computed, effect, ElementRef, inject, Injector, input, output, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { OnboardingNumberView, OnboardingSessionView } from '@waba/contracts';
import { messageOf } from '../core/http/api-error';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { StatusBadgeComponent } from '../shared/ui/status-badge.component';
import { availabilityLabel, metaWords, qualityLabel } from './labels';
import { WhatsappService } from './whatsapp.service';
import { WhatsappStateService } from './whatsapp-state.service';

/** Pick which discovered numbers, across one or more WABAs, to connect; then show each outcome. */
@Component({
  selector: 'app-onboarding-picker',
  imports: [MatButtonModule, MatCheckboxModule, MatProgressBarModule, StatusBadgeComponent, FormErrorComponent],
  templateUrl: './onboarding-picker.component.html',
  styleUrl: './onboarding-picker.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardingPickerComponent {
  private readonly api = inject(WhatsappService);
  private readonly state = inject(WhatsappStateService);
  private readonly injector = inject(Injector);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private readonly result = viewChild<ElementRef<HTMLElement>>('result');

  readonly session = input.required<OnboardingSessionView>();
  readonly sessionChange = output<OnboardingSessionView>();
  readonly closed = output<void>();

  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly confirming = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly qualityLabel = qualityLabel;
  protected readonly availabilityLabel = availabilityLabel;
  protected readonly metaWords = metaWords;

  protected readonly outcomes = computed(() => this.session().wabas.flatMap((waba) => waba.numbers.filter((number) => number.outcome)));
  /** Failed and worth another try: a number another workspace holds never is. */
  protected readonly failed = computed(() => this.outcomes().filter((number) => number.outcome?.state === 'failed' && number.availability !== 'taken'));
  /** What the consent shares, in words: new, already connected here, held elsewhere. */
  protected readonly summary = computed(() => describeCounts(this.session()));
  /** The number whose Reconnect started this consent, when the consent did not share it. */
  protected readonly reconnectMissing = computed(() => {
    const id = this.session().reconnectPhoneNumberId;
    return !!id && !this.session().wabas.some((waba) => waba.numbers.some((n) => n.phoneNumberId === id));
  });
  protected readonly confirmLabel = computed(() => {
    const picked = this.session()
      .wabas.flatMap((waba) => waba.numbers)
      .filter((n) => this.selected().has(n.phoneNumberId));
    const renew = picked.filter((n) => n.availability === 'connected_here').length;
    const fresh = picked.length - renew;
    if (fresh === 0 && renew > 0) {
      return renew === 1 ? 'Reconnect 1 number' : `Reconnect ${renew} numbers`;
    }
    if (renew > 0) {
      return `Connect ${fresh} new and reconnect ${renew}`;
    }
    return fresh > 1 ? `Connect ${fresh} numbers` : 'Connect selected number';
  });
  protected readonly connectedCount = computed(() => this.outcomes().filter((number) => number.outcome?.state === 'connected').length);
  protected readonly finished = computed(() => this.session().status === 'completed' || this.session().status === 'partial');
  protected readonly expired = computed(() => this.session().status === 'expired');

  constructor() {
    afterNextRender(() => this.heading()?.nativeElement.focus());
    // The API says what starts ticked: the number being reconnected, or those already connected
    // here (confirming them again moves them onto this consent, repairing their credential).
    let sessionId: string | null = null;
    effect(() => {
      const session = this.session();
      if (session.id === sessionId) {
        return;
      }
      sessionId = session.id;
      untracked(() => this.selected.set(new Set(session.preselectedPhoneNumberIds)));
    });
  }

  /** Held by another workspace: never. Already connected here: yes, to renew its credential. */
  protected selectable(number: OnboardingNumberView): boolean {
    return number.availability !== 'taken' && number.outcome?.state !== 'connected' && !this.expired();
  }

  protected toggle(phoneNumberId: string, checked: boolean): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) {
        next.add(phoneNumberId);
      } else {
        next.delete(phoneNumberId);
      }
      return next;
    });
  }

  protected confirm(): Promise<void> {
    return this.send([...this.selected()]);
  }

  protected retryFailed(): Promise<void> {
    return this.send(this.failed().map((number) => number.phoneNumberId));
  }

  private async send(phoneNumberIds: string[]): Promise<void> {
    if (this.confirming() || phoneNumberIds.length === 0) {
      return;
    }
    this.confirming.set(true);
    this.error.set(null);
    try {
      const view = await this.api.confirm(this.session().id, phoneNumberIds);
      this.selected.set(new Set());
      this.sessionChange.emit(view);
      void this.state.reload();
      afterNextRender(() => this.result()?.nativeElement.focus(), { injector: this.injector });
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.confirming.set(false);
    }
  }
}

/** "Both numbers", "All 4 numbers". */
function allOf(count: number): string {
  return count === 2 ? 'Both numbers' : `All ${count} numbers`;
}

function numbers(count: number): string {
  return count === 1 ? '1 number' : `${count} numbers`;
}

/** "All 4 numbers this consent shares are already connected", or how many of them are new. */
export function describeCounts(session: OnboardingSessionView): string {
  const { shared, new: fresh, connectedHere, taken } = session.counts;
  const wabas = session.wabas.length;
  const where = `in ${wabas} WhatsApp Business ${wabas === 1 ? 'Account' : 'Accounts'}`;
  if (shared === 0) {
    return `Meta shared no phone number ${where}.`;
  }
  if (connectedHere === shared) {
    return shared === 1 ? 'The number this consent shares is already connected.' : `${allOf(shared)} this consent shares are already connected.`;
  }
  if (taken === shared) {
    return shared === 1
      ? 'The number this consent shares is connected to another WABA Connect workspace, so it cannot be connected here.'
      : `${allOf(shared)} this consent shares are connected to another WABA Connect workspace, so none can be connected here.`;
  }
  if (fresh === shared) {
    return `Meta shared ${numbers(shared)} ${where}. Pick one or several.`;
  }
  const parts = [`${fresh} ${fresh === 1 ? 'is' : 'are'} new`];
  if (connectedHere > 0) {
    parts.push(`${connectedHere} ${connectedHere === 1 ? 'is' : 'are'} already connected here`);
  }
  if (taken > 0) {
    parts.push(`${taken} ${taken === 1 ? 'is' : 'are'} connected to another WABA Connect workspace`);
  }
  const last = parts.pop();
  return `Meta shared ${numbers(shared)} ${where}: ${parts.length ? `${parts.join(', ')} and ${last}` : last}.`;
}
