import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { toGraphQLError } from '../errors/upstream.ts';

/**
 * Every error leaving the gateway has a code and a message fit for a client. The gateway's
 * own coded errors pass unchanged; upstream exceptions are mapped (their request ids, URLs and
 * status lines stay inside); anything else is masked. Yoga logs whatever this replaces.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (error instanceof GraphQLError && (!error.originalError || (original instanceof GraphQLError && original.extensions.code))) {
    // A located error copies its original's message and extensions: nothing to hide.
    return error;
  }
  const mapped = toGraphQLError(original);
  return createGraphQLError(mapped.message || message, {
    nodes: error instanceof GraphQLError ? error.nodes : undefined,
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: mapped.extensions,
  });
}
