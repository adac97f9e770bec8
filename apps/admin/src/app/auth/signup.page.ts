import { ChangeDetectionStrategy, Component, ElementRef, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { SessionService } from '../core/session/session.service';
import { FormSubmission } from '../shared/forms/form-submission';
import { notBlank, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/forms/validators';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { AuthLayoutComponent } from './auth-layout.component';

@Component({
  selector: 'app-signup-page',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLayoutComponent, FormErrorComponent],
  templateUrl: './signup.page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignupPage {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);

  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  readonly form = inject(NonNullableFormBuilder).group({
    accountName: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    name: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH), notBlank]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  async submit(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const { accountName, name, email, password } = this.form.getRawValue();
      await this.session.signUp({
        accountName: accountName.trim(),
        name: name.trim(),
        email: email.trim(),
        password,
      });
      await this.router.navigateByUrl('/overview');
    });
  }
}
