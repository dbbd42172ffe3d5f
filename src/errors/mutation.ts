/**
 * Expected mutation failures, returned as typed results so clients can switch on __typename.
 * Plain classes: the data layer returns them, src/schema/errors.ts registers their GraphQL types.
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Input the schema's own checks refused (src/schema/builder.ts), before any upstream call. */
export class InputValidationError extends ValidationError {
  constructor(
    message: string,
    fields: { field: string; message: string }[],
    /** Each problem with its path in the arguments, for a top-level error where no typed result is offered. */
    readonly issues: { message: string; path: string[] }[],
  ) {
    super(message, fields);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    message: string,
    readonly id: string,
  ) {
    super(message);
  }
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}
