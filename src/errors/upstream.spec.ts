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
import { describe, expect, it } from 'vitest';
import { UpstreamAbortedError, UpstreamDeadlineError } from '../transport/errors.ts';
import { GatewayError, type ErrorCode } from './codes.ts';
import { ConflictError, NotFoundError, ValidationError } from './mutation.ts';
import { keepUnprocessableDetails } from '../workos/unprocessable.ts';
import { asMutationError, isNotFound, isUpstreamValidation, toGatewayError } from './upstream.ts';
import { CONFLICT, REFUSED } from './upstream-messages.ts';

const REQUEST_ID = 'req_01HZX3Y8Q2N4R6T8V0W2XYZSECRET';
const PATH = '/user_management/organization_memberships/om_01HZX3Y8Q2N4R6T8V0W2XYZABE';

/** The SDK wraps whatever its fetchFn throws like this (HttpClient.handleHttpError). */
const wrapped = (cause: unknown) => new Error(`Unexpected error: ${String(cause)}`, { cause });

const cases: [string, unknown, ErrorCode, string][] = [
  ['NotFoundException (default message names the path)', new NotFoundException({ path: PATH, requestID: REQUEST_ID }), 'NOT_FOUND', 'Not found.'],
  ['NotFoundException (own message)', new NotFoundException({ message: `Membership not found: '${PATH}'.`, path: PATH, requestID: REQUEST_ID }), 'NOT_FOUND', 'Not found.'],
  ['ConflictException with message', new ConflictException({ message: 'Email already in use.', requestID: REQUEST_ID }), 'CONFLICT', CONFLICT],
  ['ConflictException with error only', new ConflictException({ error: 'duplicate', requestID: REQUEST_ID }), 'CONFLICT', CONFLICT],
  ['ConflictException with neither', new ConflictException({ requestID: REQUEST_ID }), 'CONFLICT', CONFLICT],
  ['BadRequestException', new BadRequestException({ code: 'invalid', message: 'Domain is invalid.', requestID: REQUEST_ID }), 'BAD_USER_INPUT', REFUSED],
  ['BadRequestException with a known code', new BadRequestException({ code: 'external_id_already_used', message: `Used by ${PATH}.`, requestID: REQUEST_ID }), 'BAD_USER_INPUT', 'This external id is already in use.'],
  ['BadRequestException (default message)', new BadRequestException({ requestID: REQUEST_ID }), 'BAD_USER_INPUT', REFUSED],
  ['UnprocessableEntityException', new UnprocessableEntityException({ message: 'Limit is too large.', requestID: REQUEST_ID }), 'BAD_USER_INPUT', REFUSED],
  ['GenericServerException 400', new GenericServerException(400, 'Name is required.', {}, REQUEST_ID), 'BAD_USER_INPUT', REFUSED],
  ['OauthException 400 with a description', new OauthException(400, REQUEST_ID, 'invalid_grant', 'The code has expired.', {}), 'BAD_USER_INPUT', REFUSED],
  ['OauthException 400 without a description', new OauthException(400, REQUEST_ID, 'invalid_grant', undefined, {}), 'BAD_USER_INPUT', REFUSED],
  ['OauthException 500', new OauthException(500, REQUEST_ID, 'server_error', 'Something broke.', {}), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['GenericServerException 500', new GenericServerException(500, `Internal error at ${PATH}`, {}, REQUEST_ID), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['GenericServerException 503', new GenericServerException(503, undefined, {}, REQUEST_ID), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['UnauthorizedException (the gateway key)', new UnauthorizedException(REQUEST_ID), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['RateLimitExceededException with retryAfter', new RateLimitExceededException('Too many requests', REQUEST_ID, 7), 'RATE_LIMITED', 'WorkOS rate limit reached; retry later.'],
  ['RateLimitExceededException without retryAfter', new RateLimitExceededException('Too many requests', REQUEST_ID, null), 'RATE_LIMITED', 'WorkOS rate limit reached; retry later.'],
  ['UpstreamDeadlineError', new UpstreamDeadlineError(3), 'RATE_LIMITED', 'WorkOS rate budget exhausted for this request; retry later.'],
  ['UpstreamDeadlineError wrapped by the SDK', wrapped(new UpstreamDeadlineError(3)), 'RATE_LIMITED', 'WorkOS rate budget exhausted for this request; retry later.'],
  ['UpstreamAbortedError', new UpstreamAbortedError(), 'UPSTREAM_UNAVAILABLE', 'The request was cancelled.'],
  ['UpstreamAbortedError wrapped by the SDK', wrapped(new UpstreamAbortedError()), 'UPSTREAM_UNAVAILABLE', 'The request was cancelled.'],
  ['TypeError (fetch failed)', new TypeError('fetch failed'), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['AbortError', new DOMException('The operation was aborted.', 'AbortError'), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['TimeoutError', new DOMException('The operation timed out.', 'TimeoutError'), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['the SDK wrapping a dropped connection', wrapped(new TypeError('fetch failed')), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['the SDK refusing a non-JSON body', new Error('Unexpected error: SyntaxError: Unexpected token < in JSON'), 'UPSTREAM_UNAVAILABLE', 'WorkOS is unavailable right now.'],
  ['a plain Error', new Error(`Something odd about ${PATH}`), 'INTERNAL_SERVER_ERROR', 'Unexpected error.'],
  ['a RangeError', new RangeError('Invalid array length'), 'INTERNAL_SERVER_ERROR', 'Unexpected error.'],
  ['a thrown string', 'boom', 'INTERNAL_SERVER_ERROR', 'Unexpected error.'],
  ['undefined', undefined, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'],
];

describe('toGatewayError', () => {
  it.each(cases)('%s -> %s', (_label, thrown, code, message) => {
    const error = toGatewayError(thrown);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it.each(cases)('%s: no request id or upstream path in the error', (_label, thrown) => {
    const error = toGatewayError(thrown);
    const visible = JSON.stringify({ message: error.message, extensions: error.extensions });
    expect(visible).not.toContain(REQUEST_ID);
    expect(visible).not.toContain(PATH);
    expect(visible).not.toContain('/user_management');
  });

  it('passes a gateway error through as it is', () => {
    const original = new GatewayError('FORBIDDEN', 'No.', { reason: 'test' });
    expect(toGatewayError(original)).toBe(original);
  });

  it.each([
    [new RateLimitExceededException('Too many requests', REQUEST_ID, 7), 7],
    [new RateLimitExceededException('Too many requests', REQUEST_ID, null), 1],
    [new UpstreamDeadlineError(4), 4],
    [wrapped(new UpstreamDeadlineError(9)), 9],
  ])('carries retryAfter (%#)', (thrown, retryAfter) => {
    expect(toGatewayError(thrown).extensions.retryAfter).toBe(retryAfter);
  });

  it('does not unwrap a cause other than the transport errors', () => {
    const error = toGatewayError(new Error('outer', { cause: new NotFoundException({ path: PATH, requestID: REQUEST_ID }) }));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('isNotFound', () => {
  it.each<[string, unknown, boolean]>([
    ['NotFoundException', new NotFoundException({ path: PATH, requestID: REQUEST_ID }), true],
    ['NotFoundError (the mutation result)', new NotFoundError('Not found.', 'x'), false],
    ['GenericServerException 404', new GenericServerException(404, 'gone', {}, REQUEST_ID), false],
    ['a plain Error', new Error('Not found'), false],
  ])('%s -> %s', (_label, error, expected) => {
    expect(isNotFound(error)).toBe(expected);
  });
});

describe('isUpstreamValidation', () => {
  it.each<[string, unknown, boolean]>([
    ['BadRequestException', new BadRequestException({ requestID: REQUEST_ID }), true],
    ['UnprocessableEntityException', new UnprocessableEntityException({ requestID: REQUEST_ID }), true],
    ['GenericServerException 400', new GenericServerException(400, 'x', {}, REQUEST_ID), true],
    ['GenericServerException 403', new GenericServerException(403, 'x', {}, REQUEST_ID), false],
    ['GenericServerException 500', new GenericServerException(500, 'x', {}, REQUEST_ID), false],
    ['OauthException 400', new OauthException(400, REQUEST_ID, 'invalid_request', 'x', {}), true],
    ['OauthException 401', new OauthException(401, REQUEST_ID, 'invalid_client', 'x', {}), false],
    ['RateLimitExceededException', new RateLimitExceededException('x', REQUEST_ID, 1), false],
    ['ConflictException', new ConflictException({ requestID: REQUEST_ID }), false],
    ['NotFoundException', new NotFoundException({ path: PATH, requestID: REQUEST_ID }), false],
    ['UnauthorizedException', new UnauthorizedException(REQUEST_ID), false],
    ['a plain Error', new Error('bad request'), false],
  ])('%s -> %s', (_label, error, expected) => {
    expect(isUpstreamValidation(error)).toBe(expected);
  });
});

describe('asMutationError', () => {
  it.each([
    ['with an id', 'om_123', 'Nothing has the id om_123.'],
    ['without an id', '', 'Not found.'],
  ])('NotFoundException %s -> NotFoundError', (_label, id, message) => {
    const error = asMutationError(new NotFoundException({ path: PATH, requestID: REQUEST_ID }), id);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(message);
    expect((error as NotFoundError).id).toBe(id);
  });

  it('ConflictException -> ConflictError with the gateway’s message', () => {
    const error = asMutationError(new ConflictException({ message: 'An Organization with the domain acme.test already exists.', requestID: REQUEST_ID }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(CONFLICT);
  });

  it('BadRequestException -> ValidationError with camelCased fields and the gateway’s messages', () => {
    const error = asMutationError(
      new BadRequestException({
        code: 'user_creation_error',
        message: `Validation failed for ${PATH}.`,
        errors: [
          { field: 'external_id', code: 'external_id_already_used', message: 'External id is taken.' },
          { field: 'first_name', code: 'too_long' },
          { code: 'email_not_available', message: 'Email taken by user_01SECRET.' },
          { code: 'Free text, not a code' },
          'not an object',
          null,
          {},
        ],
        requestID: REQUEST_ID,
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('The user could not be created.');
    expect((error as ValidationError).fields).toEqual([
      { field: 'externalId', message: 'This external id is already in use.' },
      { field: 'firstName', message: 'too_long' },
      { field: 'email', message: 'This email address cannot be used.' },
      { field: '', message: 'invalid' },
    ]);
  });

  it('a known code names its field even without details', () => {
    const error = asMutationError(new GenericServerException(400, 'x', { code: 'invalid_metadata' }, REQUEST_ID));
    expect((error as ValidationError).fields).toEqual([{ field: 'metadata', message: 'The metadata was refused.' }]);
  });

  it.each<[string, unknown]>([
    ['OauthException 400', new OauthException(400, REQUEST_ID, 'invalid_grant', 'The code has expired.', {})],
    ['GenericServerException 400', new GenericServerException(400, 'Name is required.', {}, REQUEST_ID)],
    ['UnprocessableEntityException without details', new UnprocessableEntityException({ message: 'Limit is too large.', requestID: REQUEST_ID })],
  ])('%s -> ValidationError without fields', (_label, thrown) => {
    const error = asMutationError(thrown);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(REFUSED);
    expect((error as ValidationError).fields).toEqual([]);
  });

  it.each<[string, unknown, ErrorCode]>([
    ['RateLimitExceededException', new RateLimitExceededException('x', REQUEST_ID, 2), 'RATE_LIMITED'],
    ['UnauthorizedException', new UnauthorizedException(REQUEST_ID), 'UPSTREAM_UNAVAILABLE'],
    ['GenericServerException 502', new GenericServerException(502, 'x', {}, REQUEST_ID), 'UPSTREAM_UNAVAILABLE'],
    ['wrapped UpstreamAbortedError', wrapped(new UpstreamAbortedError()), 'UPSTREAM_UNAVAILABLE'],
    ['a plain Error', new Error('x'), 'INTERNAL_SERVER_ERROR'],
  ])('anything else (%s) becomes a coded gateway error', (_label, thrown, code) => {
    const error = asMutationError(thrown, 'om_1');
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(code);
  });

  // WorkOS answers most validation failures with 422 { errors: [{ field, code }] }; the SDK's
  // UnprocessableEntityException keeps no `errors`, so the SDK layer keeps them from the raw answer.
  it('keeps the field details of a 422', async () => {
    const answer = () =>
      Promise.resolve(
        new Response(JSON.stringify({ code: 'invalid_request_parameters', message: 'A valid email is required.', errors: [{ field: 'email', code: 'invalid_email' }] }), {
          status: 422,
          headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
        }),
      );
    const seen = await keepUnprocessableDetails(answer)('http://upstream/user_management/users', { method: 'POST' });
    expect(seen.status).toBe(422);
    const error = asMutationError(
      new UnprocessableEntityException({
        code: 'invalid_request_parameters',
        message: 'A valid email is required.',
        errors: [{ field: 'email', code: 'invalid_email' }],
        requestID: REQUEST_ID,
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual([{ field: 'email', message: 'invalid_email' }]);
  });

  it('a 422 without a request id gets one, so its details still match', async () => {
    const answer = () => Promise.resolve(new Response(JSON.stringify({ errors: [{ field: 'name', code: 'required' }] }), { status: 422 }));
    const seen = await keepUnprocessableDetails(answer)('http://upstream/organizations', { method: 'POST' });
    const requestID = seen.headers.get('x-request-id') ?? '';
    expect(requestID).toMatch(/^gateway_/);
    const error = asMutationError(new UnprocessableEntityException({ errors: [{ field: 'name', code: 'required' }], requestID }));
    expect((error as ValidationError).fields).toEqual([{ field: 'name', message: 'required' }]);
  });
});
