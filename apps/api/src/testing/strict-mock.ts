import { inspect } from 'node:util';
import { calledWithFn, type MockProxy } from 'jest-mock-extended';

/**
 * Tests only: a dependency whose every method fails the test unless the test stubbed it
 * (`mockResolvedValue`, `mockReturnValue`, `calledWith(...)`). A call with arguments no
 * `calledWith` matched fails too. Built on jest-mock-extended's `calledWithFn` with a fallback
 * that throws, named after the dependency so the failure says which call was not expected.
 *
 * A service may catch what a dependency throws (a token check turns any error into "failed"), so
 * every unexpected call is also remembered and fails the test after it ends, caught or not.
 *
 * jest-mock-extended's rule: `calledWith(...)` only takes effect on a method that has no other
 * implementation yet; after `mockResolvedValue` (say in a `beforeEach`), stub with that instead and
 * assert the arguments with `toHaveBeenCalledWith`.
 */
export function strictMock<T>(name: string): MockProxy<T> {
  const members: Record<PropertyKey, unknown> = {};
  return new Proxy(members, {
    get(target, property) {
      if (property in target) return target[property];
      // Probes by `await`, jest's matchers and util.inspect are not calls of the dependency's API.
      if (typeof property !== 'string' || NOT_MEMBERS.has(property)) return undefined;
      const unexpected = (...args: unknown[]): never => {
        const error = new UnexpectedCallError(`${name}.${property}(${args.map((a) => inspect(a, { depth: 2 })).join(', ')}) was not stubbed`);
        unexpectedCalls.push(error);
        throw error;
      };
      target[property] = calledWithFn({ fallbackMockImplementation: unexpected });
      return target[property];
    },
    set(target, property, value) {
      target[property] = value;
      return true;
    },
  }) as MockProxy<T>;
}

/** A strict mock was called in a way the test did not stub. */
export class UnexpectedCallError extends Error {
  override name = 'UnexpectedCallError';
}

const NOT_MEMBERS = new Set(['then', 'asymmetricMatch', 'toJSON', 'nodeType', 'tagName', 'constructor', '$$typeof', '_isMockFunction', 'mock']);
const unexpectedCalls: UnexpectedCallError[] = [];

/** The unexpected calls so far, forgotten once taken (for a test that expects one). */
export function takeUnexpectedCalls(): UnexpectedCallError[] {
  return unexpectedCalls.splice(0);
}

afterEach(() => {
  const calls = takeUnexpectedCalls();
  if (calls.length) throw new Error(`Unexpected calls to strict mocks:\n${calls.map((c) => `  ${c.message}`).join('\n')}`);
});
