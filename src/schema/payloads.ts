import { builder } from './builder.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';

/** The payload of a delete: the id that no longer exists. */
export const DeletePayload = builder.objectRef<{ deletedId: string }>('DeletePayload').implement({
  description: 'The result of a delete.',
  fields: (t) => ({ deletedId: t.exposeID('deletedId', { description: 'The id of the deleted object.' }) }),
});

/** Typed failures a mutation may return (union members beside its payload). */
export const writeErrors = () => ({ types: [ValidationError, NotFoundError, ConflictError], directResult: true });
export const deleteErrors = () => ({ types: [ValidationError, NotFoundError, ConflictError], directResult: true });
