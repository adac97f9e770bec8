import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to `nice` (never raises it); returns why it could not, or
 * null. Linux keeps a nice value per thread: the ones running now (V8's and libuv's helpers) are
 * lowered too, and threads started later inherit it.
 */
export function lowerCpuPriority(nice: number): string | null {
  if (getPriority() >= nice) return null;
  try {
    setPriority(nice);
  } catch (error) {
    return (error as Error).message;
  }
  for (const thread of otherThreads()) {
    try {
      setPriority(thread, nice);
    } catch {
      // ended meanwhile
    }
  }
  return null;
}

/** The process's other threads (Linux); none elsewhere. */
function otherThreads(): number[] {
  try {
    return readdirSync('/proc/self/task')
      .map(Number)
      .filter((id) => id !== process.pid);
  } catch {
    return [];
  }
}
