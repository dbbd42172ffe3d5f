import { builder } from './builder.ts';

export const ListOrderEnum = builder.enumType('ListOrder', {
  description: 'The order of a list: by creation time, as WorkOS orders its lists.',
  values: {
    DESC: { value: 'desc', description: 'Newest first (the default).' },
    ASC: { value: 'asc', description: 'Oldest first.' },
  } as const,
});

/**
 * The `order` argument every list WorkOS orders takes, beside the Relay arguments. Cursors mean
 * the same in both orders (`after`: what follows in the order asked for); `last` gives the end of
 * the list, still in that order.
 */
export const orderArgs = builder.args((t) => ({
  order: t.field({
    type: ListOrderEnum,
    required: false,
    description: 'DESC (default): newest first; ASC: oldest first. `last` pages from the other end, keeping this order.',
  }),
}));
