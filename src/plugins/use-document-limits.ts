import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { SecurityConfig } from '../config/security.ts';

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
