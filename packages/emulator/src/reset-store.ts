import type { Store } from './store.ts';

/**
 * Empties every collection of `store` in place (maps, arrays, and maps nested one level down such
 * as `auth`), so everyone holding the store keeps a valid reference across a reset.
 */
export function clearStore(store: Store): void {
  const clear = (value: unknown) => {
    if (value instanceof Map || value instanceof Set) value.clear();
    else if (Array.isArray(value)) value.length = 0;
  };
  for (const value of Object.values(store)) {
    if (value instanceof Map || value instanceof Set || Array.isArray(value)) clear(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(clear);
  }
}
