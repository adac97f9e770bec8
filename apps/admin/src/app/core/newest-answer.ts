/**
 * A page that loads again on every live event can have two loads in flight, and their answers
 * arrive in any order. Only the newest load's outcome is kept: an older, slower answer never
 * overwrites a fresher one (seen as a number's details stuck on a state it had already left).
 */
export class NewestAnswer {
  private calls = 0;

  /** Runs `request`; `apply` or `fail` sees its outcome only if no newer request was started meanwhile. */
  async run<T>(request: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void): Promise<void> {
    const call = ++this.calls;
    try {
      const value = await request();
      if (call === this.calls) apply(value);
    } catch (error) {
      if (call === this.calls) fail(error);
    }
  }
}
