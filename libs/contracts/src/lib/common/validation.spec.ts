import { validate } from 'class-validator';
import { OptionalText } from './validation';

class Note {
  @OptionalText(5) note?: unknown;
}

async function messagesFor(value: unknown): Promise<string[]> {
  const note = Object.assign(new Note(), { note: value });
  return (await validate(note)).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('OptionalText', () => {
  it('accepts a missing field and text up to the limit', async () => {
    expect(await messagesFor(undefined)).toEqual([]);
    expect(await messagesFor('12345')).toEqual([]);
  });

  it('refuses longer text, naming the field and the limit', async () => {
    expect(await messagesFor('123456')).toEqual(['note must be at most 5 characters']);
  });

  it('refuses what is not text', async () => {
    expect(await messagesFor(42)).toContain('note must be text');
  });
});
