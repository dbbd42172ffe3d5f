import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import WithInputPlugin from '@pothos/plugin-with-input';
import { authScopesFor, denialFor, scopeCacheKey, VISIBLE_USER, type GatewayAuthScopes } from './auth-scopes.ts';
import type { GatewayContext } from '../context/context.ts';
import type { UpstreamCost } from '../data/cost.ts';
import { gatewayError } from '../errors/codes.ts';
import { InputValidationError } from '../errors/mutation.ts';
import { isWellFormedId, prefixOf } from '../workos/ids.ts';

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    DateTime: { Input: Date; Output: string | Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  AuthScopes: GatewayAuthScopes;
}>({
  // Scope checks wrap outermost, so no other plugin's work runs for a denied field.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, ValidationPlugin, WithInputPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: authScopesFor,
    cacheKey: scopeCacheKey,
    unauthorizedError: (_parent, ctx) => denialFor(ctx),
    // Subscriptions are authorized once, when they start; each event is then filtered by visibility.
    authorizeOnSubscribe: true,
  },
  relay: {
    // WorkOS ids are already globally unique and typed by prefix: use them unchanged.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID, ctx) => {
      if (!isWellFormedId(globalID)) throw gatewayError('BAD_USER_INPUT', `Not a WorkOS object id: ${JSON.stringify(globalID)}.`);
      const typename = ctx.idPrefixes.typeOf(globalID);
      if (!typename) {
        throw gatewayError(
          'BAD_USER_INPUT',
          `Unknown id prefix "${prefixOf(globalID)}": node(id) dispatches on WorkOS' prefixes and on those of ids this gateway has read; ` +
            'use the typed field (organization, directoryGroup, auditLogExport, ...) instead.',
        );
      }
      return { typename, id: globalID };
    },
    clientMutationId: 'omit',
    cursorType: 'String',
    // Node loaders answer null for what the caller may not see; what they return may be read.
    nodeQueryOptions: {
      description: 'Fetches any object by its WorkOS id (the id prefix names its type); null when absent or not yours.',
      grantScopes: [VISIBLE_USER],
      extensions: { cost: { calls: 1, userCalls: 1 } satisfies UpstreamCost },
    },
    nodesQueryOptions: {
      description: 'Fetches several objects by WorkOS id, in the order given (null where absent or not yours).',
      grantScopes: [VISIBLE_USER],
      extensions: { cost: { perIdArg: 'ids' } satisfies UpstreamCost },
    },
  },
  errors: {
    // Refused input comes back as the mutation's typed ValidationError. It is decided before the
    // field's scope checks, which is safe: it says only what is wrong with the caller's own input.
    unsafelyHandleInputErrors: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Result` },
  },
  validation: {
    // One shape for refused input: mutations offer ValidationError among their typed results and
    // the errors plugin returns it; elsewhere (queries, subscriptions) it is a BAD_USER_INPUT error.
    validationError: (result) => {
      const issues = result.issues.map((issue) => ({
        message: issue.message,
        path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)),
      }));
      const fields = issues.map(({ message, path }) => ({ field: (path[0] === 'input' ? path.slice(1) : path).join('.'), message }));
      return new InputValidationError(issues.map((issue) => issue.message).join('; '), fields, issues);
    },
  },
  withInput: {
    typeOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Input` },
  },
});
