import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
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

  protected readonly numberCount = computed(() => this.session().wabas.reduce((sum, waba) => sum + waba.numbers.length, 0));
  protected readonly outcomes = computed(() =>
    this.session().wabas.flatMap((waba) => waba.numbers.filter((number) => number.outcome)),
  );
  protected readonly failed = computed(() => this.outcomes().filter((number) => number.outcome?.state === 'failed'));
  protected readonly connectedCount = computed(
    () => this.outcomes().filter((number) => number.outcome?.state === 'connected').length,
  );
  protected readonly finished = computed(() => this.session().status === 'completed' || this.session().status === 'partial');
  protected readonly expired = computed(() => this.session().status === 'expired');

  constructor() {
    afterNextRender(() => this.heading()?.nativeElement.focus());
    // A number already connected here starts ticked: confirming it again moves it onto this new
    // consent, which is how Reconnect repairs a credential Meta stopped accepting.
    let sessionId: string | null = null;
    effect(() => {
      const session = this.session();
      if (session.id === sessionId) {
        return;
      }
      sessionId = session.id;
      const connectedHere = session.wabas.flatMap((waba) =>
        waba.numbers.filter((n) => n.availability === 'connected_here' && !n.outcome).map((n) => n.phoneNumberId),
      );
      untracked(() => this.selected.set(new Set(connectedHere)));
    });
  }

  /** Taken by another account: never. Already connected here: yes, to renew its credential. */
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
