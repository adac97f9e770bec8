import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { BusinessProfileView, DisplayNameView, NumberSettingsView } from '@waba/contracts';
import { filter } from 'rxjs';
import { messageOf } from '../../core/http/api-error';
import { NewestAnswer } from '../../core/newest-answer';
import { RealtimeService } from '../../core/realtime/realtime.service';
import { SessionService } from '../../core/session/session.service';
import { BusinessProfileFormComponent } from './business-profile-form.component';
import { DisplayNamePanelComponent } from './display-name-panel.component';
import { NumberSettingsService } from './number-settings.service';
import { PinChangeComponent } from './pin-change.component';

/**
 * One number's details: its WhatsApp business profile, display name and the change in review,
 * two-step PIN and Meta's registration budget. A name decision arriving by webhook shows live.
 */
@Component({
  selector: 'app-number-details-page',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatProgressBarModule, BusinessProfileFormComponent, DisplayNamePanelComponent, PinChangeComponent],
  template: `
    <a mat-button routerLink="/whatsapp">← WhatsApp numbers</a>
    @if (error(); as message) {
      <p class="error-text" role="alert">{{ message }}</p>
    }
    @if (settings(); as view) {
      <h1>{{ view.displayPhone }}</h1>
      <mat-card appearance="outlined">
        <mat-card-header
          ><mat-card-title><h2>Business profile</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          <app-business-profile-form [phoneNumberId]="view.phoneNumberId" [profile]="view.profile" [limits]="view.limits" [categories]="view.categories" (changed)="profileChanged($event)" />
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined">
        <mat-card-header
          ><mat-card-title><h2>Display name</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          <app-display-name-panel [phoneNumberId]="view.phoneNumberId" [view]="view.displayName" (changed)="nameChanged($event)" />
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined">
        <mat-card-header
          ><mat-card-title><h2>Two-step verification PIN</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          <app-pin-change [phoneNumberId]="view.phoneNumberId" [pin]="view.pin" [isOwner]="isOwner()" (changed)="reload()" />
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined">
        <mat-card-header
          ><mat-card-title><h2>Registration attempts</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          <p data-testid="registration-budget">{{ view.budget.words }}</p>
          <p class="app-muted">
            Meta allows {{ view.budget.limit }} register or deregister requests per number in {{ view.budget.windowHours }} hours; one more blocks registering for {{ view.budget.windowHours }} hours.
            We never retry them by ourselves.
          </p>
        </mat-card-content>
      </mat-card>
    } @else if (!error()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the number" />
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 16px;
      justify-items: stretch;
    }
    :host > a {
      justify-self: start;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NumberDetailsPage implements OnInit {
  private readonly api = inject(NumberSettingsService);
  private readonly realtime = inject(RealtimeService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly isOwner = inject(SessionService).isOwner;

  /** `/whatsapp/numbers/:phoneNumberId`. */
  readonly phoneNumberId = input.required<string>();

  protected readonly settings = signal<NumberSettingsView | null>(null);
  protected readonly error = signal<string | null>(null);
  /** Live events can start a load while one is under way (core/newest-answer.ts). */
  private readonly loads = new NewestAnswer();

  ngOnInit(): void {
    void this.reload();
    // A decision on the name (webhook) or any settings change of this number, from anywhere.
    this.realtime.events$
      .pipe(
        filter(
          (event) =>
            (event.type === 'event.created' && event.event.phoneNumberId === this.phoneNumberId()) ||
            (event.type === 'phone-number.updated' && event.phoneNumber.phoneNumberId === this.phoneNumberId()),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(() => void this.reload());
  }

  protected reload(): Promise<void> {
    return this.loads.run(
      () => this.api.settings(this.phoneNumberId()),
      (view) => {
        this.settings.set(view);
        this.error.set(null);
      },
      (error) => this.error.set(messageOf(error)),
    );
  }

  protected profileChanged(profile: BusinessProfileView): void {
    this.settings.update((view) => (view ? { ...view, profile } : view));
  }

  protected nameChanged(displayName: DisplayNameView): void {
    this.settings.update((view) => (view ? { ...view, displayName, budget: displayName.reregister.budget } : view));
  }
}
