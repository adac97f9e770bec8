import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A write the database refused for now, not for good: FerretDB on SQLite answers concurrent writers
 * "database is locked (SQLITE_BUSY)"; MongoDB reports a write conflict (code 112) or labels it.
 */
export function isTransientWriteConflict(error: unknown): boolean {
  const failure = error as { code?: unknown; message?: unknown; errorLabels?: unknown } | null;
  if (!failure) return false;
  if (failure.code === 112 || (Array.isArray(failure.errorLabels) && failure.errorLabels.includes('TransientTransactionError'))) return true;
  return typeof failure.message === 'string' && /SQLITE_BUSY|database is locked/.test(failure.message);
}

/**
 * Runs a write again (up to `attempts` times, 20 ms, 40 ms, … apart) while the database refuses it
 * for now. For writes that follow work that must not be repeated (a Meta call already made).
 */
export async function withWriteRetries<T>(write: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isTransientWriteConflict(error)) throw error;
      await sleep(20 * 2 ** (attempt - 1));
    }
  }
}
