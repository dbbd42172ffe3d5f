import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { CallerScopes } from '../transport/call-scope.ts';
import { memoizedEstimate } from './cost-memo.ts';
import { estimateCost } from './query-cost.ts';

/** What the plugin reads of the context (structurally: plugins do not import the schema's context type). */
interface CostContext {
  caller?: { kind: 'user' | 'service' | 'anonymous' };
  upstream?: CallerScopes;
}

export interface CostReport {
  /** Upper bound of the WorkOS calls the operation could make, computed before it ran. */
  estimate: number;
  /** WorkOS calls this request actually made. */
  calls: number;
  /** The most an operation may be estimated at (GATEWAY_MAX_QUERY_COST). */
  budget: number;
  /** WorkOS' general rate limit as this gateway spends it, shared by every caller. */
  rateLimit?: { limit: number; remaining: number; windowSeconds: number };
}

/**
 * The upstream cost of every operation, the way Shopify's Admin API reports it: refused before
 * execution (MAX_COST_EXCEEDED) when the estimate is above the budget, and reported on every
 * answer in `extensions.cost` (docs/schema.md, "Cost").
 */
export function useQueryCost(maxCost: number, rateLimit: () => CostReport['rateLimit']): Plugin {
  const estimateOf = memoizedEstimate(estimateCost);
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as CostContext;
      const estimate = estimateOf({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName,
        variables: args.variableValues as Record<string, unknown> | null | undefined,
        caller: ctx.caller?.kind,
      });
      const report = (): CostReport => ({ estimate, calls: ctx.upstream?.counter.calls ?? 0, budget: maxCost, rateLimit: rateLimit() });
      if (estimate > maxCost) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `This operation could make up to ${estimate} WorkOS calls; the budget is ${maxCost}. Ask for smaller pages or fewer nested lists.`,
              { extensions: { code: 'MAX_COST_EXCEEDED', cost: { estimate, budget: maxCost }, http: { status: 400 } } },
            ),
          ],
          extensions: { cost: report() },
        });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          // A subscription's stream reports nothing here; each of its events is a result of its own.
          if (Symbol.asyncIterator in result) return;
          setResult({ ...result, extensions: { ...result.extensions, cost: report() } });
        },
      };
    },
  };
}
