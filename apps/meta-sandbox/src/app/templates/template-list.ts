// Filtering and paging of a WABA's templates as the list edge does it (docs/meta.md §14).
import { Request } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphNode } from '../graph/field-projection';
import { decodeCursor, encodeCursor, pageSize } from '../graph/graph-paging';
import { MessageTemplateRecord } from '../world/world.types';

export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED'] as const;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const TEMPLATE_QUALITIES = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;

/** Meta's defaults when `fields` is absent: no quality score or rejection reason unless asked for. */
export function templateNode(template: MessageTemplateRecord): GraphNode {
  return {
    typeName: 'WhatsAppBusinessHSM',
    defaultFields: ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id'],
    values: {
      id: template.id,
      name: template.name,
      language: template.language,
      category: template.category,
      status: template.status,
      parameter_format: template.parameterFormat,
      components: template.components,
      quality_score: { score: template.qualityScore, date: template.qualityDate },
      rejected_reason: template.rejectedReason,
      previous_category: template.previousCategory,
    },
    edges: {},
  };
}

/** `status`, `category`, `quality_score` take one value or a comma list; `language` is exact; `name` matches a part. */
export function filterTemplates(templates: MessageTemplateRecord[], query: Request['query']): MessageTemplateRecord[] {
  const status = enumFilter(query['status'], 'status', TEMPLATE_STATUSES);
  const category = enumFilter(query['category'], 'category', TEMPLATE_CATEGORIES);
  const quality = enumFilter(query['quality_score'], 'quality_score', TEMPLATE_QUALITIES);
  const language = typeof query['language'] === 'string' && query['language'] !== '' ? query['language'].split(',') : null;
  const name = typeof query['name'] === 'string' && query['name'] !== '' ? query['name'].toLowerCase() : null;
  // Deleted templates are gone from the list unless asked for by status.
  return templates.filter(
    (t) =>
      (status ? status.includes(t.status) : t.status !== 'DELETED') &&
      (!category || category.includes(t.category)) &&
      (!quality || quality.includes(t.qualityScore)) &&
      (!language || language.includes(t.language)) &&
      (!name || t.name.toLowerCase().includes(name)),
  );
}

export interface TemplatePage {
  items: MessageTemplateRecord[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

/** Cursor paging: `after` gives the items following a cursor, `before` the ones preceding it. */
export function pageOfTemplates(items: MessageTemplateRecord[], request: Request): TemplatePage {
  const limit = pageSize(request.query['limit']);
  const after = request.query['after'];
  const before = request.query['before'];
  let start = 0;
  if (typeof after === 'string' && after !== '') start = decodeCursor(after) + 1;
  else if (typeof before === 'string' && before !== '') start = Math.max(0, decodeCursor(before) - limit);
  const end = typeof before === 'string' && before !== '' && !(typeof after === 'string' && after !== '') ? Math.min(decodeCursor(before), start + limit) : start + limit;
  const data = items.slice(start, end);
  if (data.length === 0) return { items: data };
  const first = start;
  const last = start + data.length - 1;
  const link = (cursor: 'after' | 'before', value: string) => {
    const url = new URL(`${request.protocol}://${request.get('host')}${request.path}`);
    for (const [key, v] of Object.entries(request.query)) {
      // Meta's links carry the token; ours leave it out so they never end up in logs.
      if (typeof v === 'string' && !['access_token', 'after', 'before'].includes(key)) url.searchParams.set(key, v);
    }
    url.searchParams.set(cursor, value);
    return url.toString();
  };
  return {
    items: data,
    paging: {
      cursors: { before: encodeCursor(first), after: encodeCursor(last) },
      ...(last < items.length - 1 && { next: link('after', encodeCursor(last)) }),
      ...(first > 0 && { previous: link('before', encodeCursor(first)) }),
    },
  };
}

function enumFilter<T extends string>(value: unknown, name: string, allowed: readonly T[]): string[] | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw GraphException.invalidParameter(`(#100) Param ${name} must be a string`);
  const values = value.split(',').map((v) => v.trim());
  const unknown = values.find((v) => !(allowed as readonly string[]).includes(v));
  if (unknown) throw GraphException.invalidParameter(`(#100) Param ${name}[0] must be one of {${allowed.join(', ')}} - got "${unknown}".`);
  return values;
}
