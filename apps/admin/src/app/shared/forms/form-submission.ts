import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { ApiError, detailsOf, messageOf } from '../../core/http/api-error';
import { focusFirstInvalidField } from './focus-first-invalid';

/**
 * A form's submit state, shared by every form that sends to the API: one request at a time, an
 * invalid form pointed out (fields marked, keyboard on the first problem) instead of sent, and the
 * API's error message and details kept for the form's error banner.
 */
export class FormSubmission {
  readonly pending = signal(false);
  readonly error = signal<string | null>(null);
  readonly errorDetails = signal<readonly string[]>([]);
  /** The failure itself, for the error banner's action and "Details for support". */
  readonly failure = signal<ApiError | null>(null);

  constructor(private readonly host: HTMLElement) {}

  /** Runs `send` unless a submit is already running or the form is invalid. */
  async run(form: AbstractControl, send: () => Promise<void>): Promise<void> {
    if (this.pending()) {
      return;
    }
    // A new attempt: the last attempt's error no longer describes the form.
    this.clearError();
    if (form.invalid) {
      form.markAllAsTouched();
      focusFirstInvalidField(this.host);
      return;
    }
    this.pending.set(true);
    try {
      await send();
    } catch (error) {
      this.error.set(messageOf(error));
      this.errorDetails.set(detailsOf(error));
      this.failure.set(error instanceof ApiError ? error : null);
    } finally {
      this.pending.set(false);
    }
  }

  clearError(): void {
    this.error.set(null);
    this.errorDetails.set([]);
    this.failure.set(null);
  }
}
