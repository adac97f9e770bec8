import { InjectionToken } from '@angular/core';

/** The current time in ms; injected so time-based wording is tested by setting the clock, not by sleeping. */
export const CLOCK = new InjectionToken<() => number>('CLOCK', { providedIn: 'root', factory: () => () => Date.now() });
