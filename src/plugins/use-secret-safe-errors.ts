import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { isSensitiveCoercion, withoutEchoedValue } from '../observability/redact.ts';

/**
 * GraphQL's message for a variable of the wrong type echoes the value sent: for a password,
 * refresh token or code that puts a credential into the response (and into any log of it).
 * Such messages lose the value here; the variable name and path stay, so the error still says
 * what was wrong.
 */
export function useSecretSafeErrors(): Plugin {
  const clean = (result: ExecutionResult, variables: Record<string, unknown> | undefined): ExecutionResult | undefined => {
    const errors = result.errors as readonly GraphQLError[] | undefined;
    if (!errors?.some((e) => isSensitiveCoercion(e.message, variables))) return undefined;
    return {
      ...result,
      errors: errors.map((e) =>
        isSensitiveCoercion(e.message, variables)
          ? createGraphQLError(withoutEchoedValue(e.message), { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } })
          : e,
      ),
    };
  };
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const cleaned = clean(result, args.variableValues as Record<string, unknown> | undefined);
          if (cleaned) setResult(cleaned);
        },
      };
    },
    onSubscribe({ args }) {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const cleaned = clean(result, args.variableValues as Record<string, unknown> | undefined);
          if (cleaned) setResult(cleaned);
        },
      };
    },
  };
}
