import { NavigationError } from '@angular/router';

const LAST_RELOAD_KEY = 'waba.staleChunkReloadAt';
const MIN_RELOAD_INTERVAL_MS = 10_000;

/** Browsers' wording when a lazy route's file is gone (Chrome, Firefox, Safari). */
export function isStaleChunkError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed/i.test(message);
}

/**
 * After a deploy, a tab opened earlier asks for lazy-route files that no longer exist. Loading
 * the page again picks up the new build; the interval check stops a reload loop when the file
 * is missing for another reason. (sessionStorage holds only that timestamp, never session data.)
 */
export function reloadOnStaleChunk(
  navigationError: NavigationError,
  storage: Pick<Storage, 'getItem' | 'setItem'> = sessionStorage,
  load: (url: string) => void = (url) => window.location.assign(url),
): void {
  if (!isStaleChunkError(navigationError.error)) {
    return;
  }
  const last = Number(storage.getItem(LAST_RELOAD_KEY) ?? 0);
  if (Date.now() - last < MIN_RELOAD_INTERVAL_MS) {
    return;
  }
  storage.setItem(LAST_RELOAD_KEY, String(Date.now()));
  load(navigationError.url);
}
