interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: callers add one item each and wait for it to be written; a write takes everything
 * that queued while the previous writes ran. Under load many requests share one round trip to the
 * database; when idle an item is written at once, so nobody waits for a timer.
 */
export class GroupCommit<T, R> {
  private readonly queue: Array<Waiting<T, R>> = [];
  /** Batches being written, and the items in them. */
  private writing = 0;
  private itemsWriting = 0;
  private readonly whenSettled: Array<() => void> = [];
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** Set while a short batch waits for `spacingMs` to pass. */
  private spacing: NodeJS.Timeout | null = null;

  constructor(
    /** Writes a batch; returns one result per item, in order. A throw fails the whole batch. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: {
      maxBatch: number;
      maxConcurrentWrites: number;
      /**
       * A batch short of maxBatch starts no sooner than this after the previous write started:
       * for writes whose cost hardly depends on how many items they hold, a steady stream then
       * makes fewer, fuller writes, while an item arriving when idle is still written at once.
       */
      spacingMs?: number;
    },
  ) {}

  /** Items written or waiting to be: while there are any, the database is busy with these writes. */
  get inFlight(): number {
    return this.queue.length + this.itemsWriting;
  }

  /** Resolves once nothing is waiting or being written (at once when idle). */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.whenSettled.push(resolve));
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.writing < this.options.maxConcurrentWrites && this.queue.length > 0) {
      const wait = this.lastWriteAt + (this.options.spacingMs ?? 0) - Date.now();
      if (this.queue.length < this.options.maxBatch && wait > 0) {
        this.spacing ??= setTimeout(() => {
          this.spacing = null;
          this.pump();
        }, wait);
        return;
      }
      this.lastWriteAt = Date.now();
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.writing++;
      this.itemsWriting += batch.length;
      this.write(batch.map((waiting) => waiting.item))
        .then(
          (results) => batch.forEach((waiting, i) => waiting.resolve(results[i] as R)),
          (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          this.writing--;
          this.itemsWriting -= batch.length;
          this.pump();
          if (this.inFlight === 0) this.whenSettled.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
