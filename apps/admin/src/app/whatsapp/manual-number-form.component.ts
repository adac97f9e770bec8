import { ChangeDetectionStrategy, Component, ElementRef, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CredentialChoice, PhoneNumberView } from '@waba/contracts';
import { ApiError } from '../core/http/api-error';
import { FormSubmission } from '../shared/forms/form-submission';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { WhatsappService } from './whatsapp.service';

const DIGITS = /^\d+$/;
/** Meta ids are at most 32 digits (the API's META_ID rule in libs/contracts). */
const META_ID_MAX = 32;

/**
 * The original manual add: IDs and a token copied from Meta Business Settings, verified by the API
 * with Meta before anything is saved. The token leaves the form as soon as it is sent. When the
 * WABA already works with a credential from Meta sign-in, the API asks (409) which one to keep,
 * and the form shows that choice instead of replacing it silently.
 */
@Component({
  selector: 'app-manual-number-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
    <form class="app-form" [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="manual-heading">
      <mat-form-field appearance="outline">
        <mat-label>Phone number ID</mat-label>
        <input matInput id="manual-phone-number-id" formControlName="phoneNumberId" inputmode="numeric" autocomplete="off" required />
        <mat-hint>In WhatsApp Manager › Phone numbers; digits only.</mat-hint>
        @if (form.controls.phoneNumberId.invalid) {
          <mat-error>{{ idProblem('phoneNumberId', 'phone number ID') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>WhatsApp Business Account ID</mat-label>
        <input matInput id="manual-waba-id" formControlName="wabaId" inputmode="numeric" autocomplete="off" required />
        @if (form.controls.wabaId.invalid) {
          <mat-error>{{ idProblem('wabaId', 'WhatsApp Business Account ID') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Access token</mat-label>
        <input matInput id="manual-access-token" type="password" formControlName="accessToken" autocomplete="off" required />
        <mat-hint id="manual-token-hint">
          A system-user token with whatsapp_business_management. We check it with Meta, then store it encrypted as the credential of this WhatsApp Business Account; if the account already works with a
          credential from Meta sign-in, you choose which one to keep. The field is emptied once the number is added.
        </mat-hint>
        @if (form.controls.accessToken.invalid) {
          <mat-error>Paste the access token.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Display number (optional)</mat-label>
        <input matInput id="manual-display-phone" formControlName="displayPhone" autocomplete="off" />
      </mat-form-field>
      @if (conflict(); as question) {
        <fieldset class="credential-choice" data-testid="credential-choice">
          <legend>Which credential should this account keep?</legend>
          <p>{{ question }}</p>
          <label>
            <input type="radio" name="credentialChoice" value="keep-existing" [checked]="choice() === 'keep-existing'" (change)="choice.set('keep-existing')" />
            Keep the current credential (the pasted token is not stored)
          </label>
          <label>
            <input type="radio" name="credentialChoice" value="use-new" [checked]="choice() === 'use-new'" (change)="choice.set('use-new')" />
            Use the pasted token instead (it replaces the current credential for every number of this account)
          </label>
        </fieldset>
      }
      <div class="app-form-actions">
        <button mat-flat-button type="submit" [disabled]="submission.pending() || (conflict() !== null && choice() === null)">
          {{ submission.pending() ? 'Checking with Meta…' : conflict() ? 'Add number with this choice' : 'Add number' }}
        </button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ManualNumberFormComponent {
  private readonly api = inject(WhatsappService);

  readonly added = output<PhoneNumberView>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    phoneNumberId: ['', [Validators.required, Validators.maxLength(META_ID_MAX), Validators.pattern(DIGITS)]],
    wabaId: ['', [Validators.required, Validators.maxLength(META_ID_MAX), Validators.pattern(DIGITS)]],
    accessToken: ['', [Validators.required, Validators.maxLength(4096)]],
    displayPhone: ['', [Validators.maxLength(40)]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);
  /** The API's question when the WABA already has a working credential from Meta sign-in; null until asked. */
  protected readonly conflict = signal<string | null>(null);
  protected readonly choice = signal<CredentialChoice | null>(null);

  /** Says which rule an ID breaks: empty, too long, or not only digits. */
  protected idProblem(field: 'phoneNumberId' | 'wabaId', name: string): string {
    const errors = this.form.controls[field].errors ?? {};
    if (errors['required']) return `Enter the ${name}.`;
    if (errors['maxlength']) return `That ${name} is too long: Meta IDs have at most ${META_ID_MAX} digits.`;
    return `Enter the ${name} (digits only).`;
  }

  protected async submit(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const { phoneNumberId, wabaId, accessToken, displayPhone } = this.form.getRawValue();
      const choice = this.conflict() ? this.choice() : null;
      let number: PhoneNumberView;
      try {
        // The token stays in the field until Meta accepted it, so a refusal can be corrected without pasting again.
        number = await this.api.addManually({
          phoneNumberId: phoneNumberId.trim(),
          wabaId: wabaId.trim(),
          accessToken: accessToken.trim(),
          ...(displayPhone.trim() ? { displayPhone: displayPhone.trim() } : {}),
          ...(choice ? { credentialChoice: choice } : {}),
        });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'credential_choice_needed') {
          // The API's own sentence names the credential (its source and age); the catalogue's is generic.
          this.conflict.set(error.support?.technical ?? error.message);
          this.choice.set(null);
          return;
        }
        throw error;
      }
      this.form.reset();
      this.conflict.set(null);
      this.choice.set(null);
      this.added.emit(number);
    });
  }
}
