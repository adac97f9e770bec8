import { DOCUMENT } from '@angular/common';
import { inject, InjectionToken } from '@angular/core';

/** A full-page navigation (leaving the SPA, e.g. to Meta's consent dialog); tests pass a spy. */
export const BROWSER_NAVIGATE = new InjectionToken<(url: string) => void>('BROWSER_NAVIGATE', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return (url: string) => document.location.assign(url);
  },
});
