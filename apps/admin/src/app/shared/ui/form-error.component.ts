import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ApiError } from '../../core/http/api-error';

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
          @if (failure()?.action; as action) {
            <p class="form-error-action">{{ action }}</p>
          }
          @if (supportLines().length > 0) {
            <details class="support">
              <summary>Details for support</summary>
              <ul>
                @for (line of supportLines(); track $index) {
                  <li>{{ line }}</li>
                }
              </ul>
            </details>
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
    .form-error-action {
      margin: 4px 0 0;
    }
    .support {
      margin-top: 8px;
      overflow-wrap: anywhere;
    }
    .support summary {
      cursor: pointer;
      text-decoration: underline;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormErrorComponent {
  readonly message = input<string | null>(null);
  readonly details = input<readonly string[]>([]);
  /** The API error behind the message: its action, and its raw facts behind a disclosure. */
  readonly failure = input<ApiError | null>(null);

  protected readonly supportLines = computed(() => supportLinesOf(this.failure()));
}

/** Raw codes and ids, one per line, for the person who contacts support. */
export function supportLinesOf(failure: ApiError | null): string[] {
  const support = failure?.support;
  if (!failure || !support) {
    return [];
  }
  return [
    `Error: ${failure.code ?? 'unknown'} (HTTP ${failure.status})`,
    ...(support.metaCode !== undefined ? [`Meta error code: ${support.metaCode}${support.metaSubcode !== undefined ? ` / ${support.metaSubcode}` : ''}`] : []),
    ...(support.fbtraceId ? [`Meta trace id: ${support.fbtraceId}`] : []),
    ...(support.requestId ? [`Request id: ${support.requestId}`] : []),
    ...(support.technical ? [`Technical message: ${support.technical}`] : []),
  ];
}
