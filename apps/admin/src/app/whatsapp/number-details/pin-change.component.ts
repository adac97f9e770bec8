import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { NumberSettingsView } from '@waba/contracts';
import { FormSubmission } from '../../shared/forms/form-submission';
import { FormErrorComponent } from '../../shared/ui/form-error.component';
import { NumberSettingsService } from './number-settings.service';

/** Owners change the two-step PIN, with their password again; the new PIN is never shown back here. */
@Component({
  selector: 'app-pin-change',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <p class="app-muted">
      Meta asks for this 6-digit PIN whenever the number is registered for the Cloud API, and the business needs it to move the number elsewhere. Meta has no way to turn it off.
      {{ pin().storedByUs ? 'WABA Connect keeps the current PIN encrypted; owners can reveal it on the WhatsApp page.' : 'WABA Connect does not know the current PIN.' }}
      @if (pin().changedAt; as at) {
        Last changed {{ at | date: 'medium' }}.
      }
    </p>
    @if (!isOwner()) {
      <p>Only an owner of this account can change the PIN.</p>
    } @else {
      <form [formGroup]="form" (ngSubmit)="change()" novalidate aria-label="Change the two-step PIN">
        <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
        <mat-form-field appearance="outline">
          <mat-label>New PIN</mat-label>
          <input matInput formControlName="pin" inputmode="numeric" autocomplete="off" maxlength="6" />
          <mat-hint>Exactly 6 digits.</mat-hint>
          @if (form.controls.pin.invalid) {
            <mat-error>The PIN must be exactly 6 digits.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Your password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="current-password" />
          <mat-hint>Every change is recorded in the activity log.</mat-hint>
          @if (form.controls.password.invalid) {
            <mat-error>Enter your password.</mat-error>
          }
        </mat-form-field>
        <div class="app-form-actions">
          <button mat-stroked-button type="submit" [disabled]="submission.pending()">{{ submission.pending() ? 'Changing…' : 'Change PIN' }}</button>
        </div>
        <p role="status" class="good-text">{{ done() }}</p>
      </form>
    }
  `,
  styles: `
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: flex-start;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PinChangeComponent {
  private readonly api = inject(NumberSettingsService);

  readonly phoneNumberId = input.required<string>();
  readonly pin = input.required<NumberSettingsView['pin']>();
  readonly isOwner = input(false);
  readonly changed = output<void>();

  protected readonly done = signal('');
  /** Resetting through the directive also clears its submitted state, so no field shows an error. */
  private readonly formDirective = viewChild(FormGroupDirective);
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);
  protected readonly form = inject(NonNullableFormBuilder).group({
    pin: ['', [Validators.required, Validators.pattern(/^\d{6}$/)]],
    password: ['', [Validators.required, Validators.maxLength(200)]],
  });

  protected async change(): Promise<void> {
    this.done.set('');
    await this.submission.run(this.form, async () => {
      const { pin, password } = this.form.getRawValue();
      await this.api.changePin(this.phoneNumberId(), pin, password);
      this.formDirective()?.resetForm();
      this.form.reset();
      this.done.set('The PIN was changed at Meta and stored encrypted.');
      this.changed.emit();
    });
  }
}
