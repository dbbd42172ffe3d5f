import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { SecurityConfig } from '../config/security.ts';
import { estimateCost } from './query-cost.ts';

type Limits = SecurityConfig['limits'];

/** Armor's refusals as the gateway's other input errors: a code and HTTP 400. */
const refuse = {
  propagateOnRejection: false,
  onReject: [
    (_ctx: unknown, error: GraphQLError) => {
      throw createGraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    },
  ],
};

/** Depth, aliases and tokens (graphql-armor), checked while the document is parsed and validated. */
export function useDocumentLimits(limits: Limits, { production }: { production: boolean }): Plugin[] {
  const plugins: Plugin[] = [
    maxTokensPlugin({ n: limits.maxTokens, ...refuse }),
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...refuse }),
    maxAliasesPlugin({ n: limits.maxAliases, ...refuse }),
  ];
  // "Did you mean …?" would spell out a schema that introspection keeps closed.
  if (production) plugins.push(blockFieldSuggestionsPlugin());
  return plugins;
}

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

/** Refuses request bodies above the limit before they are read. */
export function useBodyLimit(maxBytes: number): Plugin {
  const refuse = (status: number, message: string) =>
    createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status } } });
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      if (length === null) {
        // A streamed body has no declared size to check up front; GraphQL clients always send one.
        if (request.headers.has('transfer-encoding')) throw refuse(411, 'Send the request body with a Content-Length.');
        return;
      }
      if (Number(length) > maxBytes) throw refuse(413, `The request body is larger than ${maxBytes} bytes.`);
    },
  };
}
