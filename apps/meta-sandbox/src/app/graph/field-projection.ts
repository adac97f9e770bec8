// Answers `fields=` the way Graph does: default fields when absent, nested edges as
// `{ data, paging }`, `.limit(n)`, and error 100 for a field the node type does not have.
import { GraphList, ParsedField } from '@waba/meta-graph';
import { GraphException } from '../common/graph-exception';

export interface GraphNode {
  typeName: string;
  defaultFields: string[];
  values: Record<string, unknown>;
  edges: Record<string, () => GraphNode[]>;
}

export function projectNode(node: GraphNode, requested: ParsedField[] | undefined): Record<string, unknown> {
  const fields: ParsedField[] = requested ?? node.defaultFields.map((name) => ({ name }));
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.name in node.values) {
      const value = node.values[field.name];
      if (value !== undefined) result[field.name] = pickChildren(value, field.children);
    } else if (field.name in node.edges) {
      const items = node.edges[field.name]();
      result[field.name] = graphList(items.slice(0, field.limit ?? items.length).map((n) => projectNode(n, field.children)));
    } else {
      throw GraphException.invalidParameter(`(#100) Tried accessing nonexisting field (${field.name}) on node type (${node.typeName})`);
    }
  }
  return result;
}

/** An edge inside a node (`phone_numbers{...}`): one page with cursors, as Graph nests it. */
function graphList<T extends Record<string, unknown>>(data: T[]): GraphList<T> {
  if (data.length === 0) return { data };
  const cursor = (item: T) => Buffer.from(String(item['id'] ?? '')).toString('base64url');
  return { data, paging: { cursors: { before: cursor(data[0]), after: cursor(data[data.length - 1]) } } };
}

function pickChildren(value: unknown, children: ParsedField[] | undefined): unknown {
  if (!children || typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  return Object.fromEntries(children.filter((c) => c.name in source).map((c) => [c.name, source[c.name]]));
}
