import { strictMock, takeUnexpectedCalls, UnexpectedCallError } from './strict-mock';

interface Greeter {
  greet(name: string): string;
  count(): Promise<number>;
}

describe('strictMock', () => {
  it('fails a call the test did not stub, naming the dependency, method and arguments', () => {
    const greeter = strictMock<Greeter>('greeter');
    expect(() => greeter.greet('Sam')).toThrow(new UnexpectedCallError("greeter.greet('Sam') was not stubbed"));
    expect(takeUnexpectedCalls()).toHaveLength(1);
  });

  it('remembers an unexpected call even when the code under test swallowed the error', () => {
    const greeter = strictMock<Greeter>('greeter');
    try {
      greeter.greet('Sam');
    } catch {
      // what a service that turns every error into an outcome would do
    }
    expect(takeUnexpectedCalls().map((call) => call.message)).toEqual(["greeter.greet('Sam') was not stubbed"]);
  });

  it('answers stubbed calls, and only the arguments a calledWith stub names', async () => {
    const greeter = strictMock<Greeter>('greeter');
    greeter.count.mockResolvedValue(3);
    greeter.greet.calledWith('Sam').mockReturnValue('Hello Sam');

    await expect(greeter.count()).resolves.toBe(3);
    expect(greeter.greet('Sam')).toBe('Hello Sam');
    expect(() => greeter.greet('Alex')).toThrow(UnexpectedCallError);
    expect(takeUnexpectedCalls()).toHaveLength(1);
  });

  it('is not mistaken for a promise or a matcher', async () => {
    const greeter = strictMock<Greeter>('greeter');
    await expect(Promise.resolve(greeter)).resolves.toBe(greeter);
    expect({ greeter }).toEqual({ greeter });
  });
});
