import { GatewayError } from '../errors/codes.ts';
import { report } from '../observability/request-record.ts';
import { InvalidAccessTokenError, KeysUnavailableError, type AccessTokenVerifier } from './access-tokens.ts';
import { ANONYMOUS, type Caller } from './caller.ts';
import type { ServiceTokens } from './service-tokens.ts';

/** One message for every refused credential: which check failed is for the logs, not the caller. */
export function unauthenticated(): GatewayError {
  return new GatewayError('UNAUTHENTICATED', 'Sign in first: send a valid token as `Authorization: Bearer <token>`.', {
    http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
  });
}

// RFC 7235: the scheme is case-insensitive (`bearer`, `BEARER` ...); the token is not.
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/i;

/**
 * Turns a request's Authorization header into its caller: none is anonymous; a bearer token is
 * a service token or an AuthKit access token; anything else is refused with UNAUTHENTICATED.
 */
export class Authenticator {
  constructor(
    private readonly serviceTokens: ServiceTokens,
    private readonly accessTokens: AccessTokenVerifier | undefined,
  ) {}

  async callerOf(authorization: string | null): Promise<Caller> {
    if (authorization === null || authorization.trim() === '') return ANONYMOUS;
    const token = BEARER.exec(authorization.trim())?.[1];
    if (!token) {
      report({ kind: 'token_refused', reason: 'malformed_header' });
      throw unauthenticated();
    }
    const fingerprint = this.serviceTokens.match(token);
    if (fingerprint) return { kind: 'service', fingerprint };
    if (!this.accessTokens) {
      report({ kind: 'token_refused', reason: 'unknown_token' });
      throw unauthenticated();
    }
    try {
      return await this.accessTokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) {
        report({ kind: 'token_refused', reason: error.reason, ...(error.issuer ? { issuer: error.issuer } : {}) });
        throw unauthenticated();
      }
      if (error instanceof KeysUnavailableError) {
        throw new GatewayError('UPSTREAM_UNAVAILABLE', 'Tokens cannot be checked right now; retry shortly.', { http: { status: 503 } });
      }
      throw error;
    }
  }
}
