import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { detailsOf, messageOf } from '../../core/http/api-error';
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

  constructor(private readonly host: HTMLElement) {}

  /** Runs `send` unless a submit is already running or the form is invalid. */
  async run(form: AbstractControl, send: () => Promise<void>): Promise<void> {
    if (this.pending()) {
      return;
    }
    if (form.invalid) {
      form.markAllAsTouched();
      focusFirstInvalidField(this.host);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.errorDetails.set([]);
    try {
      await send();
    } catch (error) {
      this.error.set(messageOf(error));
      this.errorDetails.set(detailsOf(error));
    } finally {
      this.pending.set(false);
    }
  }
}
