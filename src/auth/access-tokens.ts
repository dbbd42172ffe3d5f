import { createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { TokenRefusal } from '../observability/request-record.ts';
import type { UserCaller } from './caller.ts';

export interface AccessTokenOptions {
  /** `${WorkOS base URL}/sso/jwks/${clientId}`. */
  jwksUrl: URL;
  /** Accepted `iss` values. */
  issuers: string[];
  /** How JWKS is fetched (the upstream queue, so it is counted and rate-limited with the rest). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allowed clock difference for exp/nbf (seconds). */
  clockToleranceSeconds?: number;
}

/** The token was refused: bad signature, algorithm, issuer, expiry, or not a JWT at all. */
export class InvalidAccessTokenError extends Error {
  override name = 'InvalidAccessTokenError';
  constructor(
    message: string,
    /** Why, in one word, for the log line (never the token). */
    readonly reason: TokenRefusal = 'bad_claims',
    /** The token's own `iss`, when it is the reason: what WORKOS_ISSUER would have to list. */
    readonly issuer?: string,
  ) {
    super(message);
  }
}

/** The keys could not be fetched: a problem of the gateway's upstream, not of the caller. */
export class KeysUnavailableError extends Error {
  override name = 'KeysUnavailableError';
}

const USER_ID = /^user_[0-9A-HJKMNP-TV-Z]{26}$/;
const ORG_ID = /^org_[0-9A-HJKMNP-TV-Z]{26}$/;

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Verifies WorkOS AuthKit access tokens: RS256 only, signed by a key of the client's JWKS,
 * from an accepted issuer, inside exp/nbf. jose caches the key set and fetches it again when a
 * token names a key id it has not seen (at most once per cooldown), which is how key rotation
 * reaches the gateway.
 */
export class AccessTokenVerifier {
  private readonly keys;

  constructor(private readonly options: AccessTokenOptions) {
    this.keys = createRemoteJWKSet(options.jwksUrl, {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      ...(options.fetch ? { [customFetch]: options.fetch } : {}),
    });
  }

  async verify(token: string): Promise<UserCaller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: this.options.issuers,
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      throw classify(error, token);
    }
    if (!payload.sub || !USER_ID.test(payload.sub)) throw new InvalidAccessTokenError('sub is not a user id', 'bad_claims');
    const orgId = optionalString(payload.org_id);
    if (orgId !== undefined && !ORG_ID.test(orgId)) throw new InvalidAccessTokenError('org_id is not an organization id', 'bad_claims');
    return {
      kind: 'user',
      userId: payload.sub,
      sessionId: optionalString(payload.sid),
      organizationId: orgId,
      role: orgId ? optionalString(payload.role) : undefined,
      permissions: orgId ? stringList(payload.permissions) : [],
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }

  /** Downloads the key set now (at start, for readiness); rejects when it cannot be had. */
  async loadKeys(): Promise<void> {
    await this.keys.reload();
  }

  /** True once a key set has been downloaded. */
  keysLoaded(): boolean {
    return this.keys.jwks() !== undefined;
  }
}

/** jose's refusal, as the one word a log line gives for it. */
function refusalOf(error: InstanceType<typeof errors.JOSEError>): TokenRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'unknown_issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'bad_claims';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'bad_algorithm';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'not_a_jwt';
  return 'bad_claims';
}

/** The unverified `iss` of a token, cut short: it names the issuer an operator may have to accept. */
function issuerOf(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Key-fetch failures (timeouts, non-200 answers, unreadable key sets, the queue giving up) are the
 * gateway's; everything else jose refuses is the token's.
 */
function classify(error: unknown, token: string): Error {
  if (error instanceof errors.JOSEError) {
    const keyFetch = error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
    if (keyFetch) return new KeysUnavailableError(error.message);
    const reason = refusalOf(error);
    return new InvalidAccessTokenError(error.code, reason, reason === 'unknown_issuer' ? issuerOf(token) : undefined);
  }
  return new KeysUnavailableError(error instanceof Error ? error.message : 'key fetch failed');
}
