import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { estimateCost } from './query-cost.ts';

/** Refuses, before execution, an operation whose upstream cost estimate is above the budget. */
export function useQueryCost(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimate = estimateCost({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName,
        variables: args.variableValues as Record<string, unknown> | null | undefined,
      });
      if (estimate <= maxCost) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `This operation could make up to ${estimate} WorkOS calls; the budget is ${maxCost}. Ask for smaller pages or fewer nested lists.`,
            { extensions: { code: 'BAD_USER_INPUT', cost: { estimate, budget: maxCost }, http: { status: 400 } } },
          ),
        ],
      });
    },
  };
}
