import { ChangeDetectionStrategy, Component, ElementRef, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { OnboardingSessionView } from '@waba/contracts';
import { detailsOf, messageOf } from '../core/http/api-error';
import { focusFirstInvalidField } from '../shared/forms/focus-first-invalid';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { WhatsappService } from './whatsapp.service';

/** "Import from Meta": discover what a pasted token can see, then pick in the same picker. */
@Component({
  selector: 'app-import-token-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <app-form-error [message]="error()" [details]="errorDetails()" />
    <form class="app-form" [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="import-heading">
      <mat-form-field appearance="outline">
        <mat-label>Access token</mat-label>
        <input matInput id="import-access-token" type="password" formControlName="accessToken" autocomplete="off" required />
        <mat-hint>We list the WhatsApp accounts and numbers it can manage; you then choose. It is not kept here.</mat-hint>
        @if (form.controls.accessToken.invalid) {
          <mat-error>Paste the access token.</mat-error>
        }
      </mat-form-field>
      <div class="app-form-actions">
        <button mat-flat-button type="submit" [disabled]="pending()">{{ pending() ? 'Asking Meta…' : 'Find my numbers' }}</button>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportTokenFormComponent {
  private readonly api = inject(WhatsappService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly discovered = output<OnboardingSessionView>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    accessToken: ['', [Validators.required, Validators.maxLength(4096)]],
  });
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly errorDetails = signal<readonly string[]>([]);

  protected async submit(): Promise<void> {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.host.nativeElement);
      return;
    }
    const accessToken = this.form.getRawValue().accessToken.trim();
    this.form.reset();
    this.pending.set(true);
    this.error.set(null);
    this.errorDetails.set([]);
    try {
      this.discovered.emit(await this.api.importFromToken(accessToken));
    } catch (error) {
      this.error.set(messageOf(error));
      this.errorDetails.set(detailsOf(error));
    } finally {
      this.pending.set(false);
    }
  }
}
