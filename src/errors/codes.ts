/**
 * The gateway's error codes and the one error class that carries them. Plain JavaScript: the
 * data layer, auth and transport throw these; only the edge (the error mask) turns them into
 * GraphQL errors. `extensions` is the name GraphQL gives such details, so a located error
 * copies them as they are.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface GatewayErrorExtensions {
  code: ErrorCode;
  /** HTTP status and headers for errors that end a request before execution (yoga reads them). */
  http?: { status: number; headers?: Record<string, string> };
  [key: string]: unknown;
}

export class GatewayError extends Error {
  override name = 'GatewayError';
  readonly extensions: GatewayErrorExtensions;
  constructor(code: ErrorCode, message: string, extensions: Omit<GatewayErrorExtensions, 'code'> = {}) {
    super(message);
    this.extensions = { code, ...extensions };
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

export const gatewayError = (code: ErrorCode, message: string, extensions: Omit<GatewayErrorExtensions, 'code'> = {}): GatewayError =>
  new GatewayError(code, message, extensions);
