import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { detailsOf, messageOf } from '../core/http/api-error';
import { SessionService } from '../core/session/session.service';
import { focusFirstInvalidField } from '../shared/forms/focus-first-invalid';
import { notBlank, PASSWORD_MIN_LENGTH } from '../shared/forms/validators';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { AuthLayoutComponent } from './auth-layout.component';

@Component({
  selector: 'app-signup-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    AuthLayoutComponent,
    FormErrorComponent,
  ],
  templateUrl: './signup.page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignupPage {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  readonly form = inject(NonNullableFormBuilder).group({
    accountName: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    name: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: [
      '',
      [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(200), notBlank],
    ],
  });
  readonly pending = signal(false);
  readonly error = signal<string | null>(null);
  readonly errorDetails = signal<readonly string[]>([]);

  async submit(): Promise<void> {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.host.nativeElement);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.errorDetails.set([]);
    const { accountName, name, email, password } = this.form.getRawValue();
    try {
      await this.session.signUp({
        accountName: accountName.trim(),
        name: name.trim(),
        email: email.trim(),
        password,
      });
      await this.router.navigateByUrl('/overview');
    } catch (error) {
      this.error.set(messageOf(error));
      this.errorDetails.set(detailsOf(error));
    } finally {
      this.pending.set(false);
    }
  }
}
