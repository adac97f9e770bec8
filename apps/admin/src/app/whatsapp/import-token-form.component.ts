import { ChangeDetectionStrategy, Component, ElementRef, inject, output } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { OnboardingSessionView } from '@waba/contracts';
import { FormSubmission } from '../shared/forms/form-submission';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { WhatsappService } from './whatsapp.service';

/** "Import from Meta": discover what a pasted token can see, then pick in the same picker. */
@Component({
  selector: 'app-import-token-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
    <form class="app-form" [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="import-heading">
      <mat-form-field appearance="outline">
        <mat-label>Access token</mat-label>
        <input matInput id="import-access-token" type="password" formControlName="accessToken" autocomplete="off" required />
        <mat-hint>
          We list the WhatsApp accounts and numbers it can manage; you then choose. We store the token encrypted, and it becomes the credential of the accounts whose numbers you connect, in place of
          the one they had.
        </mat-hint>
        @if (form.controls.accessToken.invalid) {
          <mat-error>Paste the access token.</mat-error>
        }
      </mat-form-field>
      <div class="app-form-actions">
        <button mat-flat-button type="submit" [disabled]="submission.pending()">{{ submission.pending() ? 'Asking Meta…' : 'Find my numbers' }}</button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportTokenFormComponent {
  private readonly api = inject(WhatsappService);

  readonly discovered = output<OnboardingSessionView>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    accessToken: ['', [Validators.required, Validators.maxLength(4096)]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  protected async submit(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const accessToken = this.form.getRawValue().accessToken.trim();
      const view = await this.api.importFromToken(accessToken);
      // Cleared once Meta accepted it; after a failure it stays, so the person can correct it.
      this.form.reset();
      this.discovered.emit(view);
    });
  }
}
