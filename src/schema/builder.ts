import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import WithInputPlugin from '@pothos/plugin-with-input';
import type { GatewayContext } from '../context.ts';
import { gatewayError } from '../workos/errors.ts';
import { nodeTypeOf } from '../workos/ids.ts';

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    DateTime: { Input: Date; Output: string | Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ErrorsPlugin, RelayPlugin, ValidationPlugin, WithInputPlugin],
  defaultFieldNullability: false,
  relay: {
    // WorkOS ids are already globally unique and typed by prefix: use them unchanged.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => {
      const typename = nodeTypeOf(globalID);
      if (!typename) throw gatewayError('BAD_USER_INPUT', `Not a WorkOS object id: ${JSON.stringify(globalID)}.`);
      return { typename, id: globalID };
    },
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { description: 'Fetches any object by its WorkOS id (the id prefix names its type).' },
    nodesQueryOptions: { description: 'Fetches several objects by WorkOS id, in the order given (null where absent).' },
  },
  errors: {
    defaultUnionOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Result` },
  },
  validation: {
    validationError: (result) =>
      gatewayError(
        'BAD_USER_INPUT',
        result.issues.map((issue) => issue.message).join('; '),
        {
          issues: result.issues.map((issue) => ({
            message: issue.message,
            path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)),
          })),
        },
      ),
  },
  withInput: {
    typeOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Input` },
  },
});
