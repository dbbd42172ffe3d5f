import { gatewayError } from '../errors/codes.ts';

/** WorkOS' largest page. */
export const UPSTREAM_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_SIZE = 10;

export interface Page<T> {
  data: T[];
  listMetadata: { before: string | null; after: string | null };
}

export interface PageParams {
  limit: number;
  after?: string;
  before?: string;
  order: 'asc' | 'desc';
}

export type Lister<T> = (params: PageParams) => Promise<Page<T>>;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface ConnectionPage<T> {
  nodes: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface PagePlan {
  size: number;
  /** Which upstream cursor to follow when one page is not enough. */
  direction: 'after' | 'before';
  first: PageParams;
  /** `last` without `before`: read oldest-first and reverse, so the edges keep newest-first order. */
  reversed: boolean;
}

/**
 * Relay arguments -> WorkOS list parameters. Lists are newest first (WorkOS' default `desc`);
 * cursors are object ids, exactly WorkOS' own. Refuses what cannot be served faithfully.
 */
export function planPages(args: ConnectionArgs, maxPageSize: number): PagePlan {
  const { first, last, after, before } = args;
  if (first != null && last != null) throw gatewayError('BAD_USER_INPUT', 'Pass either `first` or `last`, not both.');
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw gatewayError('BAD_USER_INPUT', '`first` and `last` must be positive integers.');
  }
  if (size > maxPageSize) {
    throw gatewayError('BAD_USER_INPUT', `A page may hold at most ${maxPageSize} items; asked for ${size}.`, {
      maxPageSize,
    });
  }
  const limit = Math.min(size, UPSTREAM_PAGE_LIMIT);
  if (last != null) {
    if (after != null) {
      throw gatewayError('BAD_USER_INPUT', '`last` pages backwards from `before`; it cannot be combined with `after`.');
    }
    if (before != null) return { size, direction: 'before', first: { limit, before, order: 'desc' }, reversed: false };
    return { size, direction: 'after', first: { limit, order: 'asc' }, reversed: true };
  }
  if (after != null && before != null) {
    throw gatewayError('BAD_USER_INPUT', 'Pass either `after` or `before` with `first`, not both.');
  }
  if (before != null) return { size, direction: 'before', first: { limit, before, order: 'desc' }, reversed: false };
  return { size, direction: 'after', first: { limit, after: after ?? undefined, order: 'desc' }, reversed: false };
}

/**
 * Serves one Relay page from as many upstream pages as it needs (one unless the size is
 * above WorkOS' 100), and reports pageInfo as WorkOS' list_metadata says it.
 */
export async function fetchConnectionPage<T>(plan: PagePlan, list: Lister<T>): Promise<ConnectionPage<T>> {
  const pages: Page<T>[] = [];
  let params: PageParams | undefined = plan.first;
  let count = 0;
  while (params) {
    const page = await list(params);
    pages.push(page);
    count += page.data.length;
    const cursor = page.listMetadata[plan.direction];
    const remaining = plan.size - count;
    params =
      remaining > 0 && cursor && page.data.length > 0
        ? { ...plan.first, after: undefined, before: undefined, [plan.direction]: cursor, limit: Math.min(remaining, UPSTREAM_PAGE_LIMIT) }
        : undefined;
  }

  if (plan.direction === 'before') {
    // Walking backwards: pages arrive newest-last, each page itself newest first.
    const nodes = pages.reverse().flatMap((page) => page.data);
    const oldest = pages[pages.length - 1];
    const newest = pages[0];
    return {
      nodes,
      hasPreviousPage: newest.listMetadata.before != null,
      hasNextPage: oldest.listMetadata.after != null,
    };
  }

  const nodes = pages.flatMap((page) => page.data);
  const lastPage = pages[pages.length - 1];
  if (plan.reversed) {
    // Oldest-first read: more items upstream are newer, i.e. before these in newest-first order.
    return { nodes: nodes.reverse(), hasPreviousPage: lastPage.listMetadata.after != null, hasNextPage: false };
  }
  return {
    nodes,
    hasNextPage: lastPage.listMetadata.after != null,
    hasPreviousPage: pages[0].listMetadata.before != null,
  };
}

/**
 * One Relay page over items already in hand (a payload's list, or what a caller may see of a
 * list), newest first by id like WorkOS' own lists. Cursors are ids; a cursor that is not among
 * the items still places the page by id order, so it reveals nothing about hidden items.
 */
export function pageOfItems<T extends { id: string }>(items: T[], args: ConnectionArgs, maxPageSize: number): ConnectionPage<T> {
  const plan = planPages(args, maxPageSize);
  const sorted = [...items].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const after = args.after ?? undefined;
  const before = args.before ?? undefined;
  // Newest first: "after" a cursor means older, i.e. smaller ids.
  const window = sorted.filter((item) => (after === undefined || item.id < after) && (before === undefined || item.id > before));
  if (args.last != null) {
    const nodes = window.slice(Math.max(0, window.length - plan.size));
    return { nodes, hasPreviousPage: window.length > nodes.length, hasNextPage: before !== undefined && sorted.some((i) => i.id <= before) };
  }
  const nodes = window.slice(0, plan.size);
  return { nodes, hasNextPage: window.length > nodes.length, hasPreviousPage: after !== undefined && sorted.some((i) => i.id >= after) };
}
