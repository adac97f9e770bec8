import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { StatusIcon, StatusTone } from '@waba/contracts/status';

export type { StatusTone } from '@waba/contracts/status';

const GLYPHS: Record<StatusIcon, string> = { ok: '✓', warning: '!', error: '✕', pending: '…', off: '○' };
const ICON_OF_TONE: Record<StatusTone, StatusIcon> = { good: 'ok', warn: 'warning', bad: 'error', neutral: 'off' };

/** A small coloured label; the word carries the meaning, the colour only repeats it. */
@Component({
  selector: 'app-status-badge',
  // The glyph is CSS content with empty alt text: seen, not read out, and not part of the text.
  template: `<span [class]="'badge badge-' + tone()" [attr.data-tone]="tone()" [attr.data-glyph]="glyph()">{{ label() }}</span>`,
  styles: `
    .badge {
      display: inline-block;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-large);
      border: 1px solid currentColor;
    }
    .badge::before {
      content: attr(data-glyph) / '';
      display: inline-block;
      min-width: 1em;
      margin-right: 4px;
      font-weight: 700;
      text-align: center;
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
  /** Defaults to the tone's icon; derived statuses (libs/contracts status.ts) pass their own. */
  readonly icon = input<StatusIcon | null>(null);
  protected readonly glyph = computed(() => GLYPHS[this.icon() ?? ICON_OF_TONE[this.tone()]]);
}
