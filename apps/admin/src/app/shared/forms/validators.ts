import { AbstractControl, ValidationErrors } from '@angular/forms';

import { PASSWORD_RULE } from '@waba/contracts/account-rules';

/** The API's password rule, checked here first for quick feedback. */
export const PASSWORD_MIN_LENGTH = PASSWORD_RULE.minLength;
export const PASSWORD_MAX_LENGTH = PASSWORD_RULE.maxLength;

/** Rejects values made only of spaces, which `Validators.required` lets through. */
export function notBlank(control: AbstractControl<string | null>): ValidationErrors | null {
  const value = control.value ?? '';
  return value.length > 0 && value.trim() === '' ? { blank: true } : null;
}
