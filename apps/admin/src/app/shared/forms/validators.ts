import { AbstractControl, ValidationErrors } from '@angular/forms';

/** The API's rule for passwords (`SignUpRequest`, `InviteAdminRequest`), checked here first for quick feedback. */
export const PASSWORD_MIN_LENGTH = 10;

/** Rejects values made only of spaces, which `Validators.required` lets through. */
export function notBlank(control: AbstractControl<string | null>): ValidationErrors | null {
  const value = control.value ?? '';
  return value.length > 0 && value.trim() === '' ? { blank: true } : null;
}
