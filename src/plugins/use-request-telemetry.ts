import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { tenantOf, type Caller } from '../auth/caller.ts';
import { sensitiveValues } from '../observability/redact.ts';
import { currentRecord } from '../observability/request-record.ts';
import { tenantHash } from '../observability/telemetry.ts';

/**
 * Fills the request's record (src/observability/request-record.ts) as yoga learns things: that
 * it is a GraphQL request, its secret variable values (cut from log lines), the operation, the
 * caller and the error codes of the result. The line and metrics are written when it ends.
 */
export function useRequestTelemetry(): Plugin {
  const operationOf = (document: DocumentNode, operationName: string | null | undefined, contextValue?: unknown) => {
    const record = currentRecord();
    if (!record) return;
    const op = getOperationAST(document, operationName);
    record.operation = { name: op?.name?.value, type: op?.operation ?? 'unknown' };
    if (contextValue === undefined) return;
    const caller = (contextValue as { caller?: Caller }).caller;
    if (caller) {
      record.caller = caller.kind;
      if (caller.kind !== 'anonymous') record.tenant = tenantHash(tenantOf(caller));
    }
  };
  return {
    onParams({ params }) {
      const record = currentRecord();
      if (!record) return;
      record.graphql = true;
      sensitiveValues(params.variables, record.secrets);
      // Sent in clear as part of extensions by some clients (e.g. a persisted-query hash is not secret, a token would be).
      sensitiveValues(params.extensions, record.secrets);
    },
    onParse({ context }) {
      // Known before the context (and its 401): a refused request still has its operation name.
      const operationName = (context as { params?: { operationName?: string | null } }).params?.operationName;
      return ({ result }) => {
        if (result && typeof result === 'object' && 'kind' in result && result.kind === 'Document') operationOf(result, operationName);
      };
    },
    onExecute({ args }) {
      operationOf(args.document, args.operationName, args.contextValue);
    },
    onSubscribe({ args }) {
      operationOf(args.document, args.operationName, args.contextValue);
    },
    onResultProcess({ result }) {
      const record = currentRecord();
      if (!record || isAsyncIterable(result)) return;
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one.errors ?? []) as GraphQLError[]) {
          const code = error.extensions?.code;
          record.errorCodes.push(typeof code === 'string' ? code : 'GRAPHQL_ERROR');
        }
      }
    },
  };
}
