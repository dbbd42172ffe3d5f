import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { toGraphQLError } from './workos/errors.ts';

/**
 * Every error leaving the gateway has a code and a message fit for a client. Upstream
 * exceptions are mapped (their request ids, URLs and status lines stay inside); anything
 * unknown is masked and logged, never echoed.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (original instanceof GraphQLError && original.extensions?.code) {
    if (error instanceof GraphQLError && error !== original) {
      return createGraphQLError(original.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: original.extensions,
      });
    }
    return original;
  }
  if (error instanceof GraphQLError && !error.originalError) return error;
  const mapped = toGraphQLError(original);
  if (mapped.extensions.code === 'UPSTREAM_UNAVAILABLE' && !(original instanceof Error && original.name.endsWith('Exception'))) {
    // Not an upstream answer: a bug or a transport failure. Keep the details in the log only.
    console.error('[gateway] unexpected error:', original instanceof Error ? original.message : original);
  }
  return createGraphQLError(mapped.message || message, {
    nodes: error instanceof GraphQLError ? error.nodes : undefined,
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: mapped.extensions,
  });
}
