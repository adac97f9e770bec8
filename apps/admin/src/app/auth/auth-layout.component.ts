import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';

/** The frame around the login and sign-up forms: product name, a heading, a card. */
@Component({
  selector: 'app-auth-layout',
  imports: [MatCardModule],
  template: `
    <main class="auth-page">
      <p class="auth-brand" aria-hidden="true">WABA Connect</p>
      <mat-card appearance="outlined" class="auth-card">
        <mat-card-content>
          <h1>{{ heading() }}</h1>
          @if (intro()) {
            <p class="auth-intro">{{ intro() }}</p>
          }
          <ng-content />
        </mat-card-content>
      </mat-card>
      <ng-content select="[authFooter]" />
    </main>
  `,
  styles: `
    .auth-page {
      min-height: 100%;
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      padding: 32px 16px;
      background: var(--mat-sys-surface-container-low);
    }
    .auth-brand {
      margin: 0 0 16px;
      font: var(--mat-sys-title-large);
      font-weight: 700;
      color: var(--mat-sys-primary);
    }
    .auth-card {
      width: 100%;
      max-width: 440px;
      box-sizing: border-box;
      padding: 8px;
      background: var(--mat-sys-surface);
    }
    .auth-intro {
      margin: -8px 0 16px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthLayoutComponent {
  readonly heading = input.required<string>();
  readonly intro = input<string>('');
}
