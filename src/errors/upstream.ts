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
import { UpstreamAbortedError, UpstreamDeadlineError } from '../transport/errors.ts';
import { unprocessableDetails } from '../workos/unprocessable.ts';
import { GatewayError, gatewayError } from './codes.ts';
import { ConflictError, InputValidationError, NotFoundError, ValidationError } from './mutation.ts';
import { TooManyAttemptsError } from './sign-in.ts';
import { CONFLICT, fieldMessage, knownCode, refusalMessage } from './upstream-messages.ts';

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
 * Maps anything an upstream call can throw to a gateway error with a stable code and the
 * gateway's own message (upstream-messages.ts): WorkOS' messages, request ids, URLs, status
 * lines and anything about the key stay inside.
 */
export function toGatewayError(thrown: unknown): GatewayError {
  // The SDK wraps whatever its fetchFn throws in `Error("Unexpected error: ...", { cause })`.
  const error = thrown instanceof Error && (thrown.cause instanceof UpstreamDeadlineError || thrown.cause instanceof UpstreamAbortedError) ? thrown.cause : thrown;
  if (error instanceof GatewayError) return error;
  // Input the schema refused where no typed result was offered (a query argument).
  if (error instanceof InputValidationError) return gatewayError('BAD_USER_INPUT', error.message, { issues: error.issues });
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
  if (error instanceof ConflictException) return gatewayError('CONFLICT', CONFLICT);
  if (isUpstreamValidation(error)) return gatewayError('BAD_USER_INPUT', refusalMessage(codeOf(error)));
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

/** Field names WorkOS uses in 422 bodies are snake_case; clients see camelCase. */
const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The machine code of a refusal, whichever shape it came in. */
const codeOf = (error: BadRequestException | UnprocessableEntityException | GenericServerException | OauthException): unknown =>
  error instanceof OauthException ? error.error : 'code' in error ? error.code : undefined;

/**
 * The per-field problems of a refusal: a 422's come from its raw answer (the SDK's exception
 * drops them: src/workos/unprocessable.ts), a 400's from its `errors` (each a code, sometimes
 * with a field). Fields and codes are WorkOS' names; messages are the gateway's.
 */
function fieldsOf(error: BadRequestException | UnprocessableEntityException | GenericServerException | OauthException) {
  if (error instanceof UnprocessableEntityException) {
    return unprocessableDetails(error.requestID).map(({ field, code }) => ({ field: camel(field), message: fieldMessage(code) }));
  }
  const details: unknown[] = error instanceof BadRequestException && Array.isArray(error.errors) ? error.errors : [];
  const fields = details.flatMap((d) => {
    if (typeof d !== 'object' || d === null) return [];
    const rec = d as Record<string, unknown>;
    const field = typeof rec.field === 'string' ? camel(rec.field) : (knownCode(rec.code)?.field ?? '');
    return typeof rec.code === 'string' || field ? [{ field, message: fieldMessage(rec.code) }] : [];
  });
  const own = knownCode(codeOf(error))?.field;
  return fields.length === 0 && own ? [{ field: own, message: refusalMessage(codeOf(error)) }] : fields;
}

/**
 * Turns an upstream refusal into the typed mutation error clients switch on, in the gateway's
 * own words; anything unexpected becomes a coded GraphQL error.
 */
export function asMutationError(error: unknown, id = ''): Error {
  if (error instanceof NotFoundException) return new NotFoundError(id ? `Nothing has the id ${id}.` : 'Not found.', id);
  if (error instanceof ConflictException) return new ConflictError(CONFLICT);
  if (isUpstreamValidation(error)) return new ValidationError(refusalMessage(codeOf(error)), fieldsOf(error));
  return toGatewayError(error);
}

/**
 * A sign-in or an email send held back by a rate limit, WorkOS' (a 429) or the queue's (its
 * bucket cannot admit the call in time), is a typed TooManyAttemptsError like the gateway's own
 * limits, never a top-level RATE_LIMITED error a sign-in form would not expect.
 */
export function tooManyAttempts(error: unknown): TooManyAttemptsError | undefined {
  if (error instanceof RateLimitExceededException) return new TooManyAttemptsError(Math.max(1, error.retryAfter ?? 60));
  // The SDK wraps what its fetchFn throws in `Error("Unexpected error: ...", { cause })`.
  const cause = error instanceof Error && error.cause instanceof UpstreamDeadlineError ? error.cause : error;
  if (cause instanceof UpstreamDeadlineError) return new TooManyAttemptsError(cause.retryAfterSeconds);
  return undefined;
}
