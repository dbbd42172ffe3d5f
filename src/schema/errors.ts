import { ConflictError, NotFoundError, ValidationError } from '../errors/mutation.ts';
import { builder } from './builder.ts';

export { ConflictError, NotFoundError, ValidationError };

export const MutationErrorInterface = builder.interfaceRef<Error>('MutationError').implement({
  description: 'An expected reason a mutation did not happen.',
  fields: (t) => ({ message: t.exposeString('message', { description: 'What went wrong, for people.' }) }),
});

const FieldErrorRef = builder.objectRef<{ field: string; message: string }>('FieldError').implement({
  description: 'A problem with one input field.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field, e.g. email.' }),
    message: t.exposeString('message', { description: 'What is wrong with it.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused; nothing changed.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    fields: t.field({ type: [FieldErrorRef], description: 'Per-field problems, when known.', resolve: (e) => e.fields }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'An object the mutation needs does not exist; nothing changed.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ id: t.exposeID('id', { description: 'The id that was not found.' }) }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change conflicts with existing data (e.g. a domain already used); nothing changed.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: () => ({}),
});
