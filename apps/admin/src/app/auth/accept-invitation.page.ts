import { ChangeDetectionStrategy, Component, ElementRef, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { InvitationPreview, UserRole } from '@waba/contracts';
import { roleInASentence } from '@waba/contracts/account-rules';
import { messageOf } from '../core/http/api-error';
import { FormSubmission } from '../shared/forms/form-submission';
import { notBlank, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/forms/validators';
import { FormErrorComponent } from '../shared/ui/form-error.component';
import { AuthLayoutComponent } from './auth-layout.component';
import { InvitationService } from './invitation.service';

/**
 * Where an invitation link lands (`/invite#<token>`): the token is in the fragment, which the
 * browser never sends to a server. Shows who invited whom, then takes the invitee's name and password.
 */
@Component({
  selector: 'app-accept-invitation-page',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLayoutComponent, FormErrorComponent],
  templateUrl: './accept-invitation.page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AcceptInvitationPage implements OnInit {
  private readonly invitations = inject(InvitationService);
  private readonly router = inject(Router);
  private readonly token = inject(ActivatedRoute).snapshot.fragment ?? '';

  protected readonly preview = signal<InvitationPreview | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly loading = signal(true);
  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, notBlank, Validators.maxLength(100)]],
    password: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH), notBlank]],
  });
  protected readonly submission = new FormSubmission(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);

  async ngOnInit(): Promise<void> {
    if (!this.token) {
      this.problem.set('This invitation link is incomplete: open the whole link from the invitation, or ask for a new one.');
      this.loading.set(false);
      return;
    }
    try {
      this.preview.set(await this.invitations.preview(this.token));
    } catch (error) {
      this.problem.set(messageOf(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected roleLabel(role: UserRole): string {
    return roleInASentence(role);
  }

  protected async submit(): Promise<void> {
    await this.submission.run(this.form, async () => {
      const { name, password } = this.form.getRawValue();
      await this.invitations.accept(this.token, name.trim(), password);
      await this.router.navigateByUrl('/overview');
    });
  }
}
