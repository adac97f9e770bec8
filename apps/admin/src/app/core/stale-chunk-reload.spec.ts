import { NavigationError } from '@angular/router';
import { isStaleChunkError, reloadOnStaleChunk } from './stale-chunk-reload';

describe('stale chunk reload', () => {
  it.each([
    'Failed to fetch dynamically imported module: http://localhost:3000/chunk-ABC.js',
    'error loading dynamically imported module: http://localhost:3000/chunk-ABC.js',
    'Importing a module script failed.',
  ])('recognises "%s" as a missing lazy-route file', (message) => {
    expect(isStaleChunkError(new TypeError(message))).toBe(true);
  });

  it('leaves other navigation errors alone', () => {
    expect(isStaleChunkError(new Error('Cannot match any routes'))).toBe(false);
  });

  function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
    const values = new Map<string, string>();
    return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
  }
  const staleChunk = (url: string) => new NavigationError(1, url, new TypeError('Failed to fetch dynamically imported module: /chunk-OLD.js'));

  it('loads the page again at the URL the user was going to', () => {
    const load = vi.fn();

    reloadOnStaleChunk(staleChunk('/settings'), memoryStorage(), load);

    expect(load).toHaveBeenCalledWith('/settings');
  });

  it('does not reload twice within a few seconds, so a truly missing file cannot loop', () => {
    const storage = memoryStorage();
    const load = vi.fn();

    reloadOnStaleChunk(staleChunk('/settings'), storage, load);
    reloadOnStaleChunk(staleChunk('/settings'), storage, load);

    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not reload for other navigation errors', () => {
    const load = vi.fn();

    reloadOnStaleChunk(new NavigationError(1, '/x', new Error('Cannot match any routes')), memoryStorage(), load);

    expect(load).not.toHaveBeenCalled();
  });
});
