import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export type StatusTone = 'good' | 'warn' | 'bad' | 'neutral';

/** A small coloured label; the word carries the meaning, the colour only repeats it. */
@Component({
  selector: 'app-status-badge',
  template: `<span [class]="'badge badge-' + tone()">{{ label() }}</span>`,
  styles: `
    .badge {
      display: inline-block;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-large);
      border: 1px solid currentColor;
    }
    .badge-good {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .badge-warn {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .badge-bad {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .badge-neutral {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusBadgeComponent {
  readonly label = input.required<string>();
  readonly tone = input<StatusTone>('neutral');
}
