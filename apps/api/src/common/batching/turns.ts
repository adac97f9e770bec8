/**
 * Work that must not overlap runs in turns, per key, within this process: each piece starts once
 * the pieces started before it under the same key have ended (failed or not). For read-then-write
 * updates, and for FerretDB, which applies an update by rewriting the whole document.
 */
export class Turns {
  private readonly last = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const turn = (this.last.get(key) ?? Promise.resolve()).then(work);
    const settled = turn.catch(() => undefined);
    this.last.set(key, settled);
    void settled.then(() => this.last.get(key) === settled && this.last.delete(key));
    return turn;
  }
}
