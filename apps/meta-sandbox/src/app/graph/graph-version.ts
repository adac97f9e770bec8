import { FieldSyntaxError, ParsedField, parseFields } from '@waba/meta-graph';
import { GraphException } from '../common/graph-exception';

/** Any `vNN.N` is served the same way; Meta's per-version differences are not modelled. */
export function requireVersion(version: string): void {
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new GraphException({ code: 2500, message: `Unknown path components: /${version}` });
  }
}

export function requestedFields(fields: unknown): ParsedField[] | undefined {
  if (typeof fields !== 'string' || fields === '') return undefined;
  try {
    return parseFields(fields);
  } catch (error) {
    if (error instanceof FieldSyntaxError) throw GraphException.invalidParameter(`(#100) ${error.message}`);
    throw error;
  }
}
