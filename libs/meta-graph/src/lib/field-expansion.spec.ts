import { expandFields, FieldSyntaxError, parseFields } from './field-expansion';

describe('field expansion', () => {
  it('builds nested edges with a limit', () => {
    expect(expandFields(['id', 'name', { edge: 'phone_numbers', limit: 5, fields: ['id', { edge: 'x', fields: ['y'] }] }])).toBe('id,name,phone_numbers.limit(5){id,x{y}}');
  });

  it('parses what it builds', () => {
    expect(parseFields('id,name,phone_numbers.limit(5){id,throughput}')).toEqual([
      { name: 'id' },
      { name: 'name' },
      { name: 'phone_numbers', limit: 5, children: [{ name: 'id' }, { name: 'throughput' }] },
    ]);
  });

  it.each(['id,phone_numbers{id', 'id}', 'a b', 'x.limit(z){id}'])('rejects %p', (value) => {
    expect(() => parseFields(value)).toThrow(FieldSyntaxError);
  });
});
