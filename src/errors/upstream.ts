import {
  BadRequestException,
  ConflictException,
  GenericServerException,
  NotFoundException,
  OauthException,
  RateLimitExceededException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@workos-inc/node';
import { GraphQLError } from 'graphql';
import { UpstreamAbortedError, UpstreamDeadlineError } from '../transport/queue.ts';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const isNotFound = (error: unknown): boolean => error instanceof NotFoundException;

/** A 4xx from WorkOS that means the input was refused (400 and 422 in their several shapes). */
export function isUpstreamValidation(
  error: unknown,
): error is BadRequestException | UnprocessableEntityException | GenericServerException | OauthException {
  if (error instanceof BadRequestException || error instanceof UnprocessableEntityException) return true;
  if (error instanceof OauthException) return error.status === 400;
  return error instanceof GenericServerException && error.status === 400;
}

/**
 * Maps anything an upstream call can throw to a GraphQL error with a stable code.
 * WorkOS' own user-facing messages (validation, not found) pass through; request ids, URLs,
 * status lines and anything about the key do not.
 */
export function toGraphQLError(thrown: unknown): GraphQLError {
  // The SDK wraps whatever its fetchFn throws in `Error("Unexpected error: ...", { cause })`.
  const error = thrown instanceof Error && (thrown.cause instanceof UpstreamDeadlineError || thrown.cause instanceof UpstreamAbortedError) ? thrown.cause : thrown;
  if (error instanceof GraphQLError) return error;
  if (error instanceof UpstreamDeadlineError) {
    return gatewayError('RATE_LIMITED', 'WorkOS rate budget exhausted for this request; retry later.', {
      retryAfter: error.retryAfterSeconds,
    });
  }
  if (error instanceof RateLimitExceededException) {
    return gatewayError('RATE_LIMITED', 'WorkOS rate limit reached; retry later.', {
      retryAfter: error.retryAfter ?? 1,
    });
  }
  // The SDK's default message names the upstream path: keep it inside.
  if (error instanceof NotFoundException) return gatewayError('NOT_FOUND', 'Not found.');
  if (error instanceof ConflictException) return gatewayError('CONFLICT', error.message);
  if (isUpstreamValidation(error)) {
    const message = error instanceof OauthException ? (error.errorDescription ?? 'Invalid request.') : error.message;
    return gatewayError('BAD_USER_INPUT', message);
  }
  if (error instanceof UpstreamAbortedError) return gatewayError('UPSTREAM_UNAVAILABLE', 'The request was cancelled.');
  if (error instanceof UnauthorizedException) {
    // The gateway's own key was refused: an operator problem, never the caller's.
    return gatewayError('UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.');
  }
  if (isTransportFailure(error)) return gatewayError('UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.');
  return gatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.');
}

/**
 * 5xx answers, timeouts, dropped connections, and the SDK's plain `Error("Unexpected error: ...")`
 * for a body that was not JSON: WorkOS could not be reached or did not answer properly.
 */
function isTransportFailure(error: unknown): boolean {
  if (error instanceof GenericServerException || error instanceof OauthException) return true;
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'TypeError' ||
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    error.message.startsWith('Unexpected error')
  );
}
