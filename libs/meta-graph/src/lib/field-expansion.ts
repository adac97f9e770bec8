// Graph field expansion (`fields=id,name,phone_numbers.limit(50){id,status}`), both ways:
// the client builds the parameter, the sandbox parses it to decide what to return.

/** A field name, or an edge expanded with its own sub-fields and an optional `.limit(n)`. */
export type FieldSpec = string | EdgeFieldSpec;

export interface EdgeFieldSpec {
  edge: string;
  fields: FieldSpec[];
  limit?: number;
}

export interface ParsedField {
  name: string;
  limit?: number;
  /** Present when the field was written with `{...}`. */
  children?: ParsedField[];
}

export function expandFields(fields: FieldSpec[]): string {
  return fields
    .map((field) => {
      if (typeof field === 'string') return field;
      const limit = field.limit === undefined ? '' : `.limit(${field.limit})`;
      return `${field.edge}${limit}{${expandFields(field.fields)}}`;
    })
    .join(',');
}

/** Parses a `fields` value; throws `FieldSyntaxError` on unbalanced braces or a bad `.limit()`. */
export function parseFields(value: string): ParsedField[] {
  let position = 0;

  const parseList = (): ParsedField[] => {
    const list: ParsedField[] = [];
    while (position < value.length && value[position] !== '}') {
      if (value[position] === ',') {
        position++;
        continue;
      }
      list.push(parseOne());
    }
    return list;
  };

  const parseOne = (): ParsedField => {
    const start = position;
    while (position < value.length && !',{}'.includes(value[position])) position++;
    const raw = value.slice(start, position).trim();
    const match = /^([A-Za-z0-9_]+)(?:\.limit\((\d+)\))?$/.exec(raw);
    if (!match) throw new FieldSyntaxError(`Syntax error "${raw}" in fields`);
    const field: ParsedField = { name: match[1] };
    if (match[2] !== undefined) field.limit = Number(match[2]);
    if (value[position] === '{') {
      position++;
      field.children = parseList();
      if (value[position] !== '}') throw new FieldSyntaxError('Unbalanced braces in fields');
      position++;
    }
    return field;
  };

  const fields = parseList();
  if (position !== value.length) throw new FieldSyntaxError('Unbalanced braces in fields');
  return fields;
}

export class FieldSyntaxError extends Error {
  override name = 'FieldSyntaxError';
}
