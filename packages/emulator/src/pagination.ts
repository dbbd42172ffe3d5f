import { ApiError } from './errors.ts';

/**
 * WorkOS list pagination.
 *
 * Rule for `limit`: it must be an integer in 1..100 (default 10); anything else is rejected with
 * 422 `invalid_request_parameters` naming the field, never clamped, so a caller that asks for
 * more than a page holds learns it at once instead of silently getting fewer objects.
 * Same for an unknown `order`.
 *
 * Cursors are object ids compared by value (ULIDs sort by creation), so a cursor stays valid
 * even when its object has been deleted since.
 */
export type Order = 'asc' | 'desc' | 'normal';

export interface PageParams {
  limit: number;
  order: Order;
  before?: string;
  after?: string;
}

export interface ListMetadata {
  before: string | null;
  after: string | null;
}

export interface ListBody<T> {
  object: 'list';
  data: T[];
  list_metadata: ListMetadata;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

const invalid = (field: string, code: string, message: string) =>
  new ApiError(422, { code: 'invalid_request_parameters', message, errors: [{ field, code }] });

export function parsePageParams(query: URLSearchParams): PageParams {
  const rawLimit = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null && rawLimit !== '') {
    if (!/^-?\d+$/.test(rawLimit)) throw invalid('limit', 'invalid_integer', 'limit must be an integer between 1 and 100.');
    limit = Number(rawLimit);
    if (limit < 1 || limit > MAX_LIMIT) throw invalid('limit', 'out_of_range', 'limit must be between 1 and 100.');
  }
  const rawOrder = query.get('order') || 'desc';
  if (rawOrder !== 'asc' && rawOrder !== 'desc' && rawOrder !== 'normal') {
    throw invalid('order', 'invalid_enum_value', "order must be one of 'asc', 'desc', 'normal'.");
  }
  return {
    limit,
    order: rawOrder,
    before: query.get('before') || undefined,
    after: query.get('after') || undefined,
  };
}

/**
 * One page of `items` (any order; sorted here by id). `desc`: after = older, before = newer;
 * `asc`: after = newer, before = older; `normal`: shown descending, with `after` fetching newer
 * and `before` older. list_metadata holds the cursor to pass for the next page each way, null
 * at the ends.
 */
export function paginate<T extends { id: string }>(items: Iterable<T>, params: PageParams): ListBody<T> {
  const ascending = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const display = params.order === 'asc' ? ascending : ascending.reverse();
  // In `normal` the cursors mean the opposite direction of the (descending) display order.
  const forward = params.order === 'normal' ? params.before : params.after;
  const backward = params.order === 'normal' ? params.after : params.before;
  const isForwardOf = (id: string, cursor: string) => (params.order === 'asc' ? id > cursor : id < cursor);

  let start = 0;
  let end = display.length;
  if (forward !== undefined) {
    const i = display.findIndex((item) => isForwardOf(item.id, forward));
    start = i === -1 ? display.length : i;
  }
  if (backward !== undefined) {
    // Items before the cursor in display order end where the cursor (or anything past it) starts.
    const j = display.findIndex((item) => item.id === backward || isForwardOf(item.id, backward));
    end = Math.min(end, j === -1 ? display.length : j);
  }
  let pageStart = start;
  let pageEnd = Math.min(end, start + params.limit);
  if (backward !== undefined && forward === undefined) {
    // A `before` page is the one right next to the cursor.
    pageStart = Math.max(start, end - params.limit);
    pageEnd = end;
  }
  const data = display.slice(pageStart, pageEnd);
  const first = data[0]?.id ?? null;
  const last = data[data.length - 1]?.id ?? null;
  const hasEarlier = pageStart > 0;
  const hasLater = pageEnd < display.length;
  const nextCursor = hasLater ? last : null;
  const prevCursor = hasEarlier ? first : null;
  return {
    object: 'list',
    data,
    list_metadata:
      params.order === 'normal'
        ? { before: nextCursor, after: prevCursor }
        : { before: prevCursor, after: nextCursor },
  };
}

/**
 * An array filter as WorkOS and the Node SDK send it: one comma-joined value
 * (`statuses=active%2Cpending`); repeated (`statuses=a&statuses=b`) and bracketed
 * (`statuses[]=a`) forms are accepted too. Undefined when absent.
 */
export function arrayParam(query: URLSearchParams, name: string): string[] | undefined {
  const raw = [...query.getAll(name), ...query.getAll(`${name}[]`)];
  if (raw.length === 0) return undefined;
  const values = raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return values;
}

export function mapList<T, U>(list: ListBody<T>, fn: (item: T) => U): ListBody<U> {
  return { ...list, data: list.data.map(fn) };
}
