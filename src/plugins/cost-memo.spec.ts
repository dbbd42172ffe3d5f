import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { memoizedEstimate } from './cost-memo.ts';
import type { CostInput } from './query-cost.ts';

const schema = buildSchema('type Query { a(n: Int): Int }');

/** An estimator that counts how often it really ran, and answers from its input. */
function counting() {
  let runs = 0;
  const estimate = (input: CostInput) => {
    runs++;
    return Number((input.variables as { n?: number } | undefined)?.n ?? 0) + (input.caller === 'user' ? 1 : 0);
  };
  return { estimate, runs: () => runs };
}

describe('memoizedEstimate', () => {
  it('estimates a document with the same variables once, and anything different again', () => {
    const { estimate, runs } = counting();
    const memo = memoizedEstimate(estimate);
    const document = parse('query Q($n: Int) { a(n: $n) }');
    expect(memo({ schema, document, variables: { n: 5 } })).toBe(5);
    expect(memo({ schema, document, variables: { n: 5 } })).toBe(5);
    expect(runs()).toBe(1);
    expect(memo({ schema, document, variables: { n: 6 } })).toBe(6);
    expect(memo({ schema, document, variables: { n: 5 }, caller: 'user' })).toBe(6);
    expect(memo({ schema, document, variables: { n: 5 }, operationName: 'Q' })).toBe(5);
    expect(runs()).toBe(4);
    // Another parse of the same text is another document.
    expect(memo({ schema, document: parse('query Q($n: Int) { a(n: $n) }'), variables: { n: 5 } })).toBe(5);
    expect(runs()).toBe(5);
  });

  it('does not keep large variables as keys', () => {
    const { estimate, runs } = counting();
    const memo = memoizedEstimate(estimate);
    const document = parse('query($n: Int, $ids: [ID!]) { a(n: $n) }');
    const variables = { n: 1, ids: Array.from({ length: 500 }, (_, i) => `user_${i}`) };
    memo({ schema, document, variables });
    memo({ schema, document, variables });
    expect(runs()).toBe(2);
  });

  it('keeps a bounded number of variants per document, dropping the oldest', () => {
    const { estimate, runs } = counting();
    const memo = memoizedEstimate(estimate);
    const document = parse('query($n: Int) { a(n: $n) }');
    for (let n = 0; n < 65; n++) memo({ schema, document, variables: { n } });
    expect(runs()).toBe(65);
    memo({ schema, document, variables: { n: 64 } });
    expect(runs()).toBe(65);
    memo({ schema, document, variables: { n: 0 } });
    expect(runs()).toBe(66);
  });
});
