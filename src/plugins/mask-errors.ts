import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { toGatewayError } from '../errors/upstream.ts';

/**
 * Every error leaving the gateway has a code and a message fit for a client. GraphQL errors
 * that already carry a code pass unchanged; the core's GatewayErrors become GraphQL errors
 * here, at the edge; upstream exceptions are mapped (their request ids, URLs and status lines
 * stay inside); anything else is masked. Yoga logs whatever this replaces.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (error instanceof GraphQLError && (!error.originalError || (original instanceof GraphQLError && original.extensions.code))) {
    // A located error copies its original's message and extensions: nothing to hide.
    return error;
  }
  if (error instanceof GraphQLError && original instanceof GraphQLError) {
    // graphql-js refusing a variable (coercion): the caller's input, said as graphql-js says it.
    return createGraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { code: 'BAD_USER_INPUT' } });
  }
  const mapped = toGatewayError(original);
  return createGraphQLError(mapped.message || message, {
    nodes: error instanceof GraphQLError ? error.nodes : undefined,
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: mapped.extensions,
  });
}
