import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, output, signal } from '@angular/core';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { BusinessProfileView, NumberSettingsView, UpdateBusinessProfileRequest } from '@waba/contracts';
import { FormSubmission } from '../../shared/forms/form-submission';
import { FormErrorComponent } from '../../shared/ui/form-error.component';
import { NumberSettingsService } from './number-settings.service';

const website = (control: AbstractControl<string>): ValidationErrors | null => (!control.value || /^https?:\/\/\S+$/i.test(control.value.trim()) ? null : { website: true });

/** The business profile with Meta's limits beside each field, and the photo upload. */
@Component({
  selector: 'app-business-profile-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormErrorComponent],
  template: `
    <section class="photo" aria-labelledby="photo-title">
      <h3 id="photo-title">Profile photo</h3>
      @if (profile().photoUrl; as url) {
        <img [src]="url" alt="Current profile photo" width="96" height="96" data-testid="profile-photo" />
      } @else {
        <p class="app-muted">No photo yet.</p>
      }
      <p class="app-muted">A square JPEG or PNG, at most 5 MB (Meta's limit). WhatsApp shows it round.</p>
      <label class="file">
        <span>{{ photoSubmission.pending() ? 'Uploading…' : 'Choose a photo' }}</span>
        <input type="file" accept="image/jpeg,image/png" (change)="uploadPhoto($event)" [disabled]="photoSubmission.pending()" aria-label="Upload a profile photo" />
      </label>
      <app-form-error [message]="photoSubmission.error()" [failure]="photoSubmission.failure()" />
    </section>

    <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Business profile">
      <app-form-error [message]="submission.error()" [details]="submission.errorDetails()" [failure]="submission.failure()" />
      <mat-form-field appearance="outline">
        <mat-label>About</mat-label>
        <textarea matInput formControlName="about" rows="2" [maxlength]="limits().about"></textarea>
        <mat-hint>Under the name in WhatsApp. 1 to {{ limits().about }} characters; links are not clickable.</mat-hint>
        <mat-hint align="end">{{ form.controls.about.value.length }} / {{ limits().about }}</mat-hint>
        @if (form.controls.about.hasError('required')) {
          <mat-error>About cannot be empty once set: WhatsApp always shows it.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Description</mat-label>
        <textarea matInput formControlName="description" rows="3" [maxlength]="limits().description"></textarea>
        <mat-hint align="end">{{ form.controls.description.value.length }} / {{ limits().description }}</mat-hint>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Address</mat-label>
        <input matInput formControlName="address" [maxlength]="limits().address" />
        <mat-hint align="end">{{ form.controls.address.value.length }} / {{ limits().address }}</mat-hint>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Email</mat-label>
        <input matInput type="email" formControlName="email" [maxlength]="limits().email" />
        <mat-hint>At most {{ limits().email }} characters.</mat-hint>
        @if (form.controls.email.invalid) {
          <mat-error>Enter a valid email address, or leave it empty.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Website</mat-label>
        <input matInput formControlName="website1" [maxlength]="limits().website" placeholder="https://" />
        <mat-hint>Meta shows at most {{ limits().websites }} websites; each starts with http:// or https://.</mat-hint>
        @if (form.controls.website1.invalid) {
          <mat-error>Start the address with http:// or https://.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Second website</mat-label>
        <input matInput formControlName="website2" [maxlength]="limits().website" placeholder="https://" />
        @if (form.controls.website2.invalid) {
          <mat-error>Start the address with http:// or https://.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Category</mat-label>
        <select matNativeControl formControlName="vertical">
          @for (category of categories(); track category.value) {
            <option [value]="category.value">{{ category.label }}</option>
          }
        </select>
        <mat-hint>One of Meta's business categories.</mat-hint>
      </mat-form-field>
      <div class="app-form-actions">
        <button mat-flat-button type="submit" [disabled]="submission.pending()">{{ submission.pending() ? 'Saving…' : 'Save profile' }}</button>
      </div>
      <p role="status" class="good-text">{{ saved() }}</p>
    </form>
  `,
  styles: `
    form {
      display: grid;
      gap: 12px;
      max-width: 640px;
    }
    .photo img {
      border-radius: 50%;
      object-fit: cover;
    }
    .file input {
      display: block;
      margin-top: 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BusinessProfileFormComponent {
  private readonly api = inject(NumberSettingsService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  readonly phoneNumberId = input.required<string>();
  readonly profile = input.required<BusinessProfileView>();
  readonly limits = input.required<NumberSettingsView['limits']>();
  readonly categories = input.required<NumberSettingsView['categories']>();
  readonly changed = output<BusinessProfileView>();

  protected readonly saved = signal('');
  protected readonly submission = new FormSubmission(this.host);
  protected readonly photoSubmission = new FormSubmission(this.host);
  /** The photo has no form of its own; the submission needs a (always valid) control to run. */
  private readonly photoControl = new FormControl(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    about: [''],
    description: [''],
    address: [''],
    email: ['', [Validators.email]],
    website1: ['', [website]],
    website2: ['', [website]],
    vertical: ['UNDEFINED'],
  });

  constructor() {
    effect(() => {
      const profile = this.profile();
      this.form.reset({
        about: profile.about ?? '',
        description: profile.description ?? '',
        address: profile.address ?? '',
        email: profile.email ?? '',
        website1: profile.websites[0] ?? '',
        website2: profile.websites[1] ?? '',
        vertical: profile.vertical,
      });
      // Meta does not take an empty About once one is set.
      this.form.controls.about.setValidators(profile.about ? [Validators.required] : []);
      this.form.controls.about.updateValueAndValidity();
    });
  }

  protected async save(): Promise<void> {
    this.saved.set('');
    await this.submission.run(this.form, async () => {
      const value = this.form.getRawValue();
      const changes: UpdateBusinessProfileRequest = {
        ...(value.about.trim() && { about: value.about.trim() }),
        description: value.description.trim(),
        address: value.address.trim(),
        email: value.email.trim(),
        websites: [value.website1, value.website2].map((w) => w.trim()).filter((w) => w !== ''),
        ...(value.vertical !== 'UNDEFINED' && { vertical: value.vertical as UpdateBusinessProfileRequest['vertical'] }),
      };
      const profile = await this.api.updateProfile(this.phoneNumberId(), changes);
      this.saved.set('Profile saved at Meta.');
      this.changed.emit(profile);
    });
  }

  protected async uploadPhoto(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this.photoSubmission.run(this.photoControl, async () => {
      const profile = await this.api.uploadPhoto(this.phoneNumberId(), file);
      this.changed.emit(profile);
    });
    input.value = '';
  }
}
