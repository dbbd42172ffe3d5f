import type { DocumentNode } from 'graphql';
import type { CostInput } from './query-cost.ts';

/** Estimates kept per document: one per distinct (caller kind, operation, variables). */
const PER_DOCUMENT = 64;
/** Variables longer than this (as JSON) are estimated each time rather than kept as a key. */
const MAX_KEY_CHARS = 2_048;

/**
 * The estimate is a pure function of the document, the operation, the variables and the kind of
 * caller, and a screen asks the same document with the same variables again and again: keep it.
 * Kept beside the parsed document (yoga's parse cache hands out the same object for the same
 * text), so it lives exactly as long as that does.
 */
export function memoizedEstimate(estimate: (input: CostInput) => number): (input: CostInput) => number {
  const byDocument = new WeakMap<DocumentNode, Map<string, number>>();
  return (input) => {
    const key = `${input.caller ?? 'service'}\u0000${input.operationName ?? ''}\u0000${JSON.stringify(input.variables ?? {})}`;
    if (key.length > MAX_KEY_CHARS) return estimate(input);
    let kept = byDocument.get(input.document);
    const known = kept?.get(key);
    if (known !== undefined) return known;
    const value = estimate(input);
    if (!kept) byDocument.set(input.document, (kept = new Map()));
    // The oldest goes first once a document has many variants (a Map keeps insertion order).
    if (kept.size >= PER_DOCUMENT) kept.delete(kept.keys().next().value!);
    kept.set(key, value);
    return value;
  };
}
