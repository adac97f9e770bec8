import { NewestAnswer } from './newest-answer';

/** A request whose answer the test releases when it wants. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('NewestAnswer', () => {
  it('keeps the newer answer when the older one arrives last', async () => {
    const newest = new NewestAnswer();
    const shown: string[] = [];
    const older = deferred<string>();
    const newer = deferred<string>();

    const first = newest.run(
      () => older.promise,
      (value) => shown.push(value),
      () => undefined,
    );
    const second = newest.run(
      () => newer.promise,
      (value) => shown.push(value),
      () => undefined,
    );
    newer.resolve('fresh');
    await second;
    older.resolve('stale');
    await first;

    expect(shown).toEqual(['fresh']);
  });

  it("ignores an older request's failure once a newer one was started", async () => {
    const newest = new NewestAnswer();
    const errors: unknown[] = [];
    const older = deferred<string>();

    const first = newest.run(
      () => older.promise,
      () => undefined,
      (error) => errors.push(error),
    );
    await newest.run(
      () => Promise.resolve('fresh'),
      () => undefined,
      (error) => errors.push(error),
    );
    older.reject(new Error('timed out'));
    await first;

    expect(errors).toEqual([]);
  });

  it('reports the failure of the newest request', async () => {
    const newest = new NewestAnswer();
    const errors: unknown[] = [];

    await newest.run(
      () => Promise.reject(new Error('offline')),
      () => undefined,
      (error) => errors.push(error),
    );

    expect(errors).toEqual([new Error('offline')]);
  });
});
