// Cursor paging of Graph list edges: `limit` (default 25) and `after`; `paging.next` only when
// more items follow, which is what clients loop on.
import { GraphList } from '@waba/meta-graph';
import { Request } from 'express';
import { GraphException } from '../common/graph-exception';

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

export function graphPage<T>(items: T[], request: Request): GraphList<T> {
  const limit = pageSize(request.query['limit']);
  const start = typeof request.query['after'] === 'string' ? decodeCursor(request.query['after']) + 1 : 0;
  const data = items.slice(start, start + limit);
  if (data.length === 0) return { data };
  const last = start + data.length - 1;
  const next = new URL(`${request.protocol}://${request.get('host')}${request.path}`);
  for (const [key, value] of Object.entries(request.query)) {
    // Meta's next links carry the token; ours leave it out so they never end up in logs.
    if (typeof value === 'string' && key !== 'access_token' && key !== 'after') next.searchParams.set(key, value);
  }
  next.searchParams.set('after', encodeCursor(last));
  return {
    data,
    paging: {
      cursors: { before: encodeCursor(start), after: encodeCursor(last) },
      ...(last < items.length - 1 && { next: next.toString() }),
    },
  };
}

/** `limit` as Graph reads it (default 25, at most 100); also used by the template list's own paging. */
export function pageSize(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) throw GraphException.invalidParameter('(#100) Param limit must be a positive integer');
  return Math.min(size, MAX_PAGE_SIZE);
}

/** Opaque cursors naming an index into the list. */
export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw GraphException.invalidParameter('(#100) Invalid cursor');
  return Number(match[1]);
}
