import { ChangeDetectionStrategy, Component, ElementRef, inject, output } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CreatedInvitationView, UserRole } from '@waba/contracts';
import { FormSubmission } from '../shared/forms/form-submission';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { SettingsService } from './settings.service';

/** Owner-only: invite someone by email; they choose their own name and password from the link. */
@Component({
  selector: 'app-invite-user-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  templateUrl: './invite-user-form.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteUserFormComponent {
  private readonly settings = inject(SettingsService);

  readonly invited = output<CreatedInvitationView>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    role: ['admin' as 'admin' | 'owner', [Validators.required]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  protected async submit(formDirective: FormGroupDirective): Promise<void> {
    await this.submission.run(this.form, async () => {
      const { email, role } = this.form.getRawValue();
      const invitation = await this.settings.invite({ email: email.trim(), role: role as UserRole });
      // Resetting through the directive also clears "submitted", so no field shows an error.
      formDirective.resetForm({ email: '', role: 'admin' });
      this.invited.emit(invitation);
    });
  }
}
