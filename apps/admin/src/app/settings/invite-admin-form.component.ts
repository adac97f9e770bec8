import { ChangeDetectionStrategy, Component, ElementRef, inject, output } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { UserView } from '@waba/contracts';
import { FormSubmission } from '../shared/forms/form-submission';
import { notBlank, PASSWORD_MIN_LENGTH } from '../shared/forms/validators';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { SettingsService } from './settings.service';

/** Owner-only: add another admin to the account, with a first password to hand over. */
@Component({
  selector: 'app-invite-admin-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  templateUrl: './invite-admin-form.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteAdminFormComponent {
  private readonly settings = inject(SettingsService);

  readonly added = output<UserView>();

  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(200), notBlank]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  protected async submit(formDirective: FormGroupDirective): Promise<void> {
    await this.submission.run(this.form, async () => {
      const { name, email, password } = this.form.getRawValue();
      const user = await this.settings.inviteAdmin({ name: name.trim(), email: email.trim(), password });
      // Resetting through the directive also clears "submitted", so no field shows an error.
      formDirective.resetForm();
      this.added.emit(user);
    });
  }
}
