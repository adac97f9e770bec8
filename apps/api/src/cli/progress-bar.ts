import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr (stdout stays for results): redrawn in place on a terminal, a line
 * every two seconds and a last one at the end otherwise. None at all with `--json`.
 */
export function progressBar(task: string, enabled: boolean): Progress {
  if (!enabled) return NONE;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${task} [{bar}] {value}/{total} ({percentage} %, about {eta_formatted} left)`,
    barsize: 30,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
