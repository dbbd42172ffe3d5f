import type { Page, PageParams } from '../../src/data/pagination.ts';

/**
 * A fake WorkOS list for the pagination specs: ids `item_0…` (oldest) to `item_{total-1}`
 * (newest), zero-padded to `digits`, honouring limit, order, after and before the way WorkOS
 * does; `calls` records every page asked for.
 */
export function fakeList(total: number, digits: number) {
  const ids = Array.from({ length: total }, (_, i) => `item_${String(i).padStart(digits, '0')}`);
  const calls: PageParams[] = [];
  const list = async (params: PageParams): Promise<Page<string>> => {
    calls.push(params);
    const ordered = params.order === 'desc' ? [...ids].reverse() : ids;
    let data: string[];
    if (params.after !== undefined) {
      const at = ordered.indexOf(params.after);
      data = ordered.slice(at + 1, at + 1 + params.limit);
    } else if (params.before !== undefined) {
      const at = ordered.indexOf(params.before);
      data = ordered.slice(Math.max(0, at - params.limit), at);
    } else {
      data = ordered.slice(0, params.limit);
    }
    const firstAt = data.length ? ordered.indexOf(data[0]) : 0;
    const lastAt = data.length ? ordered.indexOf(data[data.length - 1]) : 0;
    return {
      data,
      listMetadata: {
        before: data.length && firstAt > 0 ? data[0] : null,
        after: data.length && lastAt < ordered.length - 1 ? data[data.length - 1] : null,
      },
    };
  };
  return { ids, calls, list };
}
