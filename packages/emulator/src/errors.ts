/**
 * An error the emulator answers with, in one of WorkOS' JSON body shapes.
 * Route handlers throw it; the server turns it into a JSON response, so every error is JSON.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | string,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : String(body.message ?? body.error_description ?? status));
  }
}

export const notFound = (entity: string, id: string) =>
  new ApiError(404, { code: 'entity_not_found', message: `${entity} not found: '${id}'.` });

export const badRequest = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(400, { code, message, ...extra });

export const conflict = (message: string, code?: string) =>
  new ApiError(409, code ? { code, message } : { message });

export interface FieldError {
  field: string;
  code: string;
}

export const unprocessable = (errors: FieldError[], message = 'Validation failed') =>
  new ApiError(422, { code: 'invalid_request_parameters', message, errors });

export const unauthorized = () => new ApiError(401, { code: 'unauthorized', message: 'Unauthorized' });
