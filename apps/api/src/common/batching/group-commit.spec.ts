import { GroupCommit } from './group-commit';

/** A write we finish by hand, recording the batches it was given. */
function controlledWriter() {
  const batches: number[][] = [];
  const finishers: Array<(fail?: Error) => void> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      finishers.push((fail) => (fail ? reject(fail) : resolve(items.map((n) => `stored ${n}`))));
    });
  return { batches, finish: (i: number, fail?: Error) => finishers[i](fail), write };
}

/** Lets the promise callbacks of a finished write run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes an item at once when idle, and the items that queued meanwhile together in one write', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrentWrites: 1 });
    const first = commit.add(1);
    expect(writer.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => commit.add(n));
    expect(commit.inFlight).toBe(4);
    writer.finish(0);
    await expect(first).resolves.toBe('stored 1');
    await settle();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    // Items being written count, not writes: three wait for this one.
    expect(commit.inFlight).toBe(3);
    writer.finish(1);
    await expect(Promise.all(rest)).resolves.toEqual(['stored 2', 'stored 3', 'stored 4']);
    expect(commit.inFlight).toBe(0);
  });

  it('caps a write at maxBatch items and runs up to maxConcurrentWrites at once', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 2, maxConcurrentWrites: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => commit.add(n));
    expect(writer.batches).toEqual([[1], [2]]);
    writer.finish(0);
    await settle();
    expect(writer.batches).toEqual([[1], [2], [3, 4]]);
    writer.finish(1);
    await settle();
    expect(writer.batches).toEqual([[1], [2], [3, 4], [5]]);
    writer.finish(2);
    writer.finish(3);
    await expect(Promise.all(all)).resolves.toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4', 'stored 5']);
  });

  it('fails every item of a failed write, and goes on with the next one', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrentWrites: 1 });
    const first = commit.add(1);
    const second = commit.add(2);
    const third = commit.add(3);
    writer.finish(0, new Error('database unavailable'));
    await expect(first).rejects.toThrow('database unavailable');
    await settle();
    writer.finish(1, new Error('database unavailable'));
    await expect(second).rejects.toThrow('database unavailable');
    await expect(third).rejects.toThrow('database unavailable');
    const fourth = commit.add(4);
    writer.finish(2);
    await expect(fourth).resolves.toBe('stored 4');
  });

  it('says when everything added has been written, failed writes included', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrentWrites: 1 });
    await expect(commit.settled()).resolves.toBeUndefined();
    const first = commit.add(1);
    const second = commit.add(2).catch((error: Error) => error.message);
    let settled = false;
    const waiting = commit.settled().then(() => (settled = true));
    writer.finish(0);
    await first;
    await settle();
    expect(settled).toBe(false);
    writer.finish(1, new Error('database unavailable'));
    await waiting;
    await expect(second).resolves.toBe('database unavailable');
  });

  describe('with spacingMs', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('writes an item at once when idle, then starts a short batch only once spacingMs has passed', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrentWrites: 2, spacingMs: 200 });
      void commit.add(1);
      expect(writer.batches).toEqual([[1]]);
      // A second write could start, but the previous one started just now: the items gather.
      [2, 3].forEach((n) => void commit.add(n));
      await jest.advanceTimersByTimeAsync(150);
      void commit.add(4);
      expect(writer.batches).toEqual([[1]]);
      await jest.advanceTimersByTimeAsync(50);
      expect(writer.batches).toEqual([[1], [2, 3, 4]]);
      // Long after the last write, an item is written at once again.
      writer.finish(0);
      writer.finish(1);
      await jest.advanceTimersByTimeAsync(1000);
      void commit.add(5);
      expect(writer.batches).toEqual([[1], [2, 3, 4], [5]]);
    });

    it('starts a full batch without waiting', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.write, { maxBatch: 3, maxConcurrentWrites: 2, spacingMs: 200 });
      [1, 2, 3, 4, 5, 6].forEach((n) => void commit.add(n));
      // 1 alone (idle), then 2–4 as soon as they fill a batch, although 200 ms have not passed.
      expect(writer.batches).toEqual([[1], [2, 3, 4]]);
      writer.finish(0);
      await jest.advanceTimersByTimeAsync(0);
      expect(writer.batches).toEqual([[1], [2, 3, 4]]);
      await jest.advanceTimersByTimeAsync(200);
      expect(writer.batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    });

    it('says it is settled only once the spaced batch is written', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrentWrites: 1, spacingMs: 200 });
      void commit.add(1);
      writer.finish(0);
      void commit.add(2);
      let settled = false;
      void commit.settled().then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(100);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(100);
      writer.finish(1);
      await jest.advanceTimersByTimeAsync(0);
      expect(settled).toBe(true);
      expect(writer.batches).toEqual([[1], [2]]);
    });
  });
});
