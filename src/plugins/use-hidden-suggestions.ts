import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';

// graphql-js appends these to validation and coercion messages: field, argument, type and enum
// value names, input fields. Names cannot contain "?", so the sentence ends at the first one.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

const withoutSuggestion = (error: GraphQLError): GraphQLError => {
  if (!SUGGESTION.test(error.message)) return error;
  SUGGESTION.lastIndex = 0;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
};

const hide = (result: ExecutionResult): ExecutionResult =>
  result.errors?.length ? { ...result, errors: result.errors.map(withoutSuggestion) } : result;

/**
 * "Did you mean …?" would spell out a schema that introspection keeps closed. graphql-armor's
 * block-field-suggestions covers field names; this covers every message a request can get back
 * (enum values, input fields of variables, arguments, types), on the final result.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result) return;
      // A stream (subscription) is mapped item by item; closing it still reaches the source.
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result[Symbol.asyncIterator](), hide));
      else setResult(hide(result));
    },
  };
}
