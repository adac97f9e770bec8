import { ChangeDetectionStrategy, Component, ElementRef, inject, output } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormSubmission } from '../shared/forms/form-submission';
import { notBlank, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/forms/validators';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { SettingsService } from './settings.service';

/** The signed-in user's own password; the API signs out their other sessions. */
@Component({
  selector: 'app-change-password-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
    <form #formDirective="ngForm" class="app-form" [formGroup]="form" (ngSubmit)="submit(formDirective)" novalidate aria-labelledby="password-heading">
      <mat-form-field appearance="outline">
        <mat-label>Current password</mat-label>
        <input matInput id="current-password" type="password" formControlName="currentPassword" autocomplete="current-password" required />
        @if (form.controls.currentPassword.hasError('required')) {
          <mat-error>Enter your current password.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>New password</mat-label>
        <input matInput id="new-password" type="password" formControlName="newPassword" autocomplete="new-password" required />
        <mat-hint>At least {{ passwordMinLength }} characters.</mat-hint>
        @if (form.controls.newPassword.hasError('required') || form.controls.newPassword.hasError('blank')) {
          <mat-error>Choose a new password.</mat-error>
        } @else if (form.controls.newPassword.hasError('minlength')) {
          <mat-error>Password must be at least {{ passwordMinLength }} characters.</mat-error>
        } @else if (form.controls.newPassword.hasError('maxlength')) {
          <mat-error>Password must be at most 200 characters.</mat-error>
        }
      </mat-form-field>
      <div class="app-form-actions">
        <button mat-flat-button type="submit" [disabled]="submission.pending()">
          {{ submission.pending() ? 'Changing…' : 'Change password' }}
        </button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordFormComponent {
  private readonly settings = inject(SettingsService);

  readonly changed = output<void>();

  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', [Validators.required, Validators.maxLength(200)]],
    newPassword: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH), notBlank]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  protected async submit(formDirective: FormGroupDirective): Promise<void> {
    await this.submission.run(this.form, async () => {
      await this.settings.changePassword(this.form.getRawValue());
      formDirective.resetForm();
      this.changed.emit();
    });
  }
}
