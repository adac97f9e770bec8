import { ChangeDetectionStrategy, Component, ElementRef, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { PhoneNumberView } from '@waba/contracts';
import { FormSubmission } from '../shared/forms/form-submission';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { WhatsappService } from './whatsapp.service';

/**
 * The two-step PIN we set when registering a number: what it is for, and for owners a reveal
 * behind their password. The PIN lives only in this component: leaving the page destroys it.
 */
@Component({
  selector: 'app-number-pin',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <div class="pin" data-testid="number-pin">
      <p class="app-muted">We set a two-step verification PIN when we registered this number. Keep it: the business needs it to move the number to another provider or to register it again later.</p>
      @if (pin(); as shown) {
        <p class="pin-shown" role="status">
          Two-step PIN of {{ number().displayPhone }}: <code data-testid="pin-value">{{ shown }}</code>
          <button mat-button type="button" (click)="copy(shown)">{{ copied() ? 'Copied' : 'Copy PIN' }}</button>
          <button mat-button type="button" (click)="hide()">Hide PIN</button>
        </p>
      } @else if (asking()) {
        <app-form-error [message]="submission.error()" [failure]="submission.failure()" />
        <form class="pin-form" [formGroup]="form" (ngSubmit)="reveal()" novalidate [attr.aria-label]="'Reveal the PIN of ' + number().displayPhone">
          <mat-form-field appearance="outline">
            <mat-label>Your password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="current-password" required />
            <mat-hint>Enter your password again to see the PIN. Every reveal is recorded in the activity log.</mat-hint>
            @if (form.controls.password.invalid) {
              <mat-error>Enter your password.</mat-error>
            }
          </mat-form-field>
          <div class="app-form-actions">
            <button mat-flat-button type="submit" [disabled]="submission.pending()">{{ submission.pending() ? 'Checking…' : 'Show PIN' }}</button>
            <button mat-button type="button" (click)="cancel()">Cancel</button>
          </div>
        </form>
      } @else if (canReveal()) {
        <button mat-stroked-button type="button" (click)="asking.set(true)" [attr.aria-label]="'Reveal PIN of ' + number().displayPhone">Reveal PIN</button>
      }
    </div>
  `,
  styles: `
    .pin-form {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: flex-start;
    }
    .pin-shown code {
      font-size: 1.2em;
      letter-spacing: 0.15em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NumberPinComponent {
  private readonly api = inject(WhatsappService);

  readonly number = input.required<PhoneNumberView>();
  /** Owners only: the API refuses everyone else. */
  readonly canReveal = input(false);

  protected readonly asking = signal(false);
  protected readonly pin = signal<string | null>(null);
  protected readonly copied = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({ password: ['', [Validators.required, Validators.maxLength(200)]] });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  protected async reveal(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const revealed = await this.api.revealPin(this.number().phoneNumberId, this.form.getRawValue().password);
      this.form.reset();
      this.asking.set(false);
      this.pin.set(revealed.pin);
    });
  }

  protected async copy(pin: string): Promise<void> {
    await navigator.clipboard.writeText(pin);
    this.copied.set(true);
  }

  protected hide(): void {
    this.pin.set(null);
    this.copied.set(false);
  }

  protected cancel(): void {
    this.form.reset();
    this.submission.clearError();
    this.asking.set(false);
  }
}
