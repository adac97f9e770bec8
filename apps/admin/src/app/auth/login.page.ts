import { ChangeDetectionStrategy, Component, ElementRef, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { detailsOf, messageOf } from '../core/http/api-error';
import { safeReturnUrl } from '../core/session/return-url';
import { SessionService } from '../core/session/session.service';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { AuthLayoutComponent } from './auth-layout.component';
import { focusFirstInvalidField } from '../shared/forms/focus-first-invalid';

@Component({
  selector: 'app-login-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    AuthLayoutComponent,
    FormErrorComponent,
  ],
  templateUrl: './login.page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  /** Query parameters, bound by the router. */
  readonly returnUrl = input<string>();
  readonly reason = input<string>();

  readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: ['', [Validators.required, Validators.maxLength(200)]],
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
    const { email, password } = this.form.getRawValue();
    try {
      await this.session.login({ email: email.trim(), password });
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.error.set(messageOf(error));
      this.errorDetails.set(detailsOf(error));
    } finally {
      this.pending.set(false);
    }
  }
}
