import { isTransientWriteConflict, withWriteRetries } from './transient-writes';

describe('writes the database refuses for now', () => {
  const busy = () => new Error('[collection.go:177 sqlite.(*collection).UpdateAll.func1] database is locked (5) (SQLITE_BUSY)');

  it("tells a busy database (FerretDB's SQLITE_BUSY, MongoDB's write conflict) from a real failure", () => {
    expect(isTransientWriteConflict(busy())).toBe(true);
    expect(isTransientWriteConflict(Object.assign(new Error('WriteConflict'), { code: 112 }))).toBe(true);
    expect(isTransientWriteConflict(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBe(false);
    expect(isTransientWriteConflict(null)).toBe(false);
  });

  it('runs the write again while the database is busy, and gives up on anything else at once', async () => {
    let calls = 0;
    await expect(withWriteRetries(async () => (++calls < 3 ? Promise.reject(busy()) : 'written'))).resolves.toBe('written');
    expect(calls).toBe(3);

    calls = 0;
    await expect(withWriteRetries(async () => (++calls, Promise.reject(new Error('validation failed'))))).rejects.toThrow('validation failed');
    expect(calls).toBe(1);

    calls = 0;
    await expect(withWriteRetries(async () => (++calls, Promise.reject(busy())), 3)).rejects.toThrow(/SQLITE_BUSY/);
    expect(calls).toBe(3);
  });
});
