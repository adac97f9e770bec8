import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A form's error area: the API's message and, for validation errors, one line per field. */
@Component({
  selector: 'app-form-error',
  template: `
    <div role="alert" aria-atomic="true">
      @if (message()) {
        <div class="form-error">
          @if (details().length > 0) {
            <!-- The API's message repeats the details in one line; the list reads better. -->
            <p class="form-error-message">Please correct the following:</p>
            <ul>
              @for (line of details(); track $index) {
                <li>{{ line }}</li>
              }
            </ul>
          } @else {
            <p class="form-error-message">{{ message() }}</p>
          }
        </div>
      }
    </div>
  `,
  styles: `
    .form-error {
      margin: 0 0 16px;
      padding: 12px 16px;
      border-radius: 8px;
      border-left: 4px solid var(--mat-sys-error);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .form-error-message {
      margin: 0;
      font: var(--mat-sys-body-large);
      font-weight: 600;
    }
    ul {
      margin: 8px 0 0;
      padding-left: 20px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormErrorComponent {
  readonly message = input<string | null>(null);
  readonly details = input<readonly string[]>([]);
}
