import { Turns } from './turns';

describe('Turns', () => {
  it('runs work under one key one piece at a time, in the order it came, past a failure', async () => {
    const turns = new Turns();
    const order: string[] = [];
    let finishFirst: () => void = () => undefined;
    const first = turns.run('a', async () => {
      order.push('start 1');
      await new Promise<void>((resolve) => (finishFirst = resolve));
      order.push('end 1');
      throw new Error('first failed');
    });
    const second = turns.run('a', async () => void order.push('run 2'));
    const other = turns.run('b', async () => void order.push('other key'));

    await other;
    expect(order).toEqual(['start 1', 'other key']);
    finishFirst();
    await expect(first).rejects.toThrow('first failed');
    await second;
    expect(order).toEqual(['start 1', 'other key', 'end 1', 'run 2']);
  });
});
