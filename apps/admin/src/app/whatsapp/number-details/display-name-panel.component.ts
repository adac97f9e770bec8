import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, inject, input, output, viewChild } from '@angular/core';
import { FormControl, FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { DisplayNameView } from '@waba/contracts';
import { FormSubmission } from '../../shared/forms/form-submission';
import { ConfirmService } from '../../shared/ui/confirm-dialog.component';
import { FormErrorComponent } from '../../shared/ui/form-error.component';
import { NumberSettingsService } from './number-settings.service';

/** The display name: what it is, the change in review and its decision, Meta's rules, and re-registering. */
@Component({
  selector: 'app-display-name-panel',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <p>
      Current name: <strong data-testid="current-name">{{ view().currentName ?? 'not set' }}</strong>
      <span class="app-muted"> — {{ view().nameStatusWords }}</span>
    </p>
    @if (view().latest; as latest) {
      <div class="latest" data-testid="name-request" [attr.data-status]="latest.status" role="status">
        <p>
          Latest change: <strong>{{ latest.requestedName }}</strong> (asked {{ latest.requestedAt | date: 'medium' }})
        </p>
        <p>{{ latest.rejectionWords ?? latest.statusWords }}</p>
        @if (latest.rejectionReason) {
          <details class="support">
            <summary>Details for support</summary>
            <code>{{ latest.rejectionReason }}</code>
          </details>
        }
      </div>
    }
    @if (view().reregister.needed) {
      <div class="reregister">
        <p>
          Register the number again to start using the new name{{ view().reregister.deadline ? ', before ' : '' }}{{ view().reregister.deadline | date: 'medium' }}.
          {{ view().reregister.budget.words }}
        </p>
        @if (view().reregister.pinStored) {
          <button mat-flat-button type="button" (click)="reregister()" [disabled]="reregistering.pending() || view().reregister.budget.remaining === 0">
            {{ reregistering.pending() ? 'Registering…' : 'Register again with the stored PIN' }}
          </button>
        } @else {
          <p class="error-text">WABA Connect has no PIN for this number: set a new two-step PIN below first.</p>
        }
        <app-form-error [message]="reregistering.error()" [failure]="reregistering.failure()" />
      </div>
    }

    <form [formGroup]="form" (ngSubmit)="request()" novalidate aria-label="Request a new display name">
      <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
      <mat-form-field appearance="outline">
        <mat-label>New display name</mat-label>
        <input matInput formControlName="name" [attr.disabled]="view().canRequest ? null : true" />
        <mat-hint>{{ view().canRequest ? 'Meta reviews it; we show the decision here as soon as Meta sends it.' : view().blockedReason }}</mat-hint>
        @if (form.controls.name.invalid) {
          <mat-error>Give a name of 3 to 512 characters.</mat-error>
        }
      </mat-form-field>
      <div class="app-form-actions">
        <button mat-stroked-button type="submit" [disabled]="submission.pending() || !view().canRequest">{{ submission.pending() ? 'Sending…' : 'Ask Meta for this name' }}</button>
      </div>
    </form>
    <h3>Meta's rules</h3>
    <ul class="rules">
      @for (rule of view().rules; track $index) {
        <li>{{ rule }}</li>
      }
    </ul>
  `,
  styles: `
    form {
      max-width: 640px;
      display: grid;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DisplayNamePanelComponent {
  private readonly api = inject(NumberSettingsService);
  private readonly confirm = inject(ConfirmService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  readonly phoneNumberId = input.required<string>();
  readonly view = input.required<DisplayNameView>();
  readonly changed = output<DisplayNameView>();

  /** Resetting through the directive also clears its submitted state, so no field shows an error. */
  private readonly formDirective = viewChild(FormGroupDirective);
  protected readonly submission = new FormSubmission(this.host);
  protected readonly reregistering = new FormSubmission(this.host);
  /** Re-registering has no fields; the submission runs against an always valid control. */
  private readonly noFields = new FormControl(null);
  protected readonly form = inject(NonNullableFormBuilder).group({ name: ['', [Validators.required, Validators.minLength(3), Validators.maxLength(512)]] });

  protected async request(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const view = await this.api.requestDisplayName(this.phoneNumberId(), this.form.getRawValue().name.trim());
      this.formDirective()?.resetForm();
      this.form.reset();
      this.changed.emit(view);
    });
  }

  protected async reregister(): Promise<void> {
    const budget = this.view().reregister.budget;
    const ok = await this.confirm.ask({
      title: 'Register the number again?',
      message: `This uses one of Meta's ${budget.limit} registration attempts per ${budget.windowHours} hours (${budget.remaining} left). The number keeps working; the new name shows once Meta confirms.`,
      confirmLabel: 'Register again',
    });
    if (!ok) return;
    await this.reregistering.run(this.noFields, async () => this.changed.emit(await this.api.reregister(this.phoneNumberId())));
  }
}
