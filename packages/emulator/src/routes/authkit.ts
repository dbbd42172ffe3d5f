import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomInt, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { SignJWT } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { EmulatorConfig, EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, badRequest, unprocessable } from '../errors.ts';
import { IdFactory } from '../ids.ts';
import type { AuthFactorRecord, MembershipRecord, Store, UserRecord } from '../store.ts';

/**
 * AuthKit: POST /user_management/authenticate (all grant types the gateway needs), RS256 access
 * tokens with a JWKS, magic auth, password reset, email verification and TOTP factors.
 *
 * Choices where WorkOS leaves room:
 * - `iss` is `${baseUrl}/user_management/${clientId}` (the SDK README form), see accessTokenIssuer.
 * - A user with several active memberships signs in to the oldest one; the emulator never answers
 *   `organization_selection_required`. `refresh_token` + `organization_id` switches organization.
 * - Wrong email/password answers 400 `invalid_credentials` ({code,message}, as the spec lists it);
 *   unknown or used codes/refresh tokens answer OAuth `invalid_grant`.
 * - Email verification and MFA gates apply to password and magic auth sign-ins; a code from
 *   createAuthorizationCode stands for a hosted sign-in that already passed them.
 */

const DEFAULT_TTL_SECONDS = 300;
const PENDING_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 10 * 60_000;
const PASSWORD_RESET_TTL_MS = 60 * 60_000;
const MIN_PASSWORD_LENGTH = 8;

const ROLE_PERMISSIONS: Record<string, string[]> = {
  admin: ['organizations:manage', 'users:manage', 'audit_logs:manage'],
};

type Json = Record<string, unknown>;

// ---------- signing key and tokens ----------

/** One RSA public key of the emulator's JWKS. */
export interface PublicJwk {
  alg: 'RS256';
  kty: 'RSA';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
  x5c: string[];
  'x5t#S256': string;
}

interface SigningKey {
  privateKey: KeyObject;
  jwk: PublicJwk;
}

/**
 * What token minting needs. An EmulatorContext fits; so does a hand-made object around an
 * emulator's store (the key is found by the store), for tests that hold only the store.
 */
export interface TokenContext {
  store: Store;
  ids: { make(kind: 'session'): string; ulid(): string };
  now: () => Date;
  config: Pick<EmulatorConfig, 'baseUrl' | 'clientId' | 'accessTokenTtlSeconds' | 'signingKey'>;
}

/** A TokenContext for a running emulator seen from outside (e.g. the handle startEmulator returns). */
export function tokenContextOf(emulator: { store: Store; url: string; clientId: string }, accessTokenTtlSeconds?: number): TokenContext {
  return {
    store: emulator.store,
    ids: new IdFactory(),
    now: () => new Date(),
    config: { baseUrl: () => emulator.url, clientId: emulator.clientId, accessTokenTtlSeconds },
  };
}

// Keyed by the store: one key per emulator instance, found again by issueAccessToken.
const signingKeys = new WeakMap<Store, SigningKey>();

function signingKey(ctx: TokenContext): SigningKey {
  let key = signingKeys.get(ctx.store);
  if (!key) {
    const given = ctx.config.signingKey;
    const { privateKey, publicKey } = given ? { privateKey: given, publicKey: createPublicKey(given) } : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const thumbprint = createHash('sha256').update(spki).digest('base64url');
    key = {
      privateKey,
      jwk: {
        alg: 'RS256',
        kty: 'RSA',
        use: 'sig',
        // A given key keeps its key id across starts (tokens signed before a restart still name it).
        kid: given ? `key_${thumbprint.slice(0, 26)}` : `key_${ctx.ids.ulid()}`,
        n: n ?? '',
        e: e ?? '',
        // No certificate is issued; the thumbprint is over the public key (SPKI DER) instead.
        x5c: [],
        'x5t#S256': thumbprint,
      },
    };
    signingKeys.set(ctx.store, key);
  }
  return key;
}

/** The JWKS the emulator serves at GET /sso/jwks/:clientId. */
export function jwks(ctx: TokenContext): { keys: PublicJwk[] } {
  return { keys: [signingKey(ctx).jwk] };
}

/** The `iss` claim of every access token the emulator signs. */
export function accessTokenIssuer(ctx: TokenContext): string {
  return `${ctx.config.baseUrl()}/user_management/${ctx.config.clientId}`;
}

export interface AccessTokenOptions {
  userId: string;
  /** null/undefined = a session without organization (no org_id, role or permissions claims). */
  organizationId?: string | null;
  /** Default: the user's active membership role in the organization, else `member`. */
  role?: string;
  roles?: string[];
  /** Default: derived from the role (admin gets the manage permissions, others none). */
  permissions?: string[];
  /** Default: a new `session_` id. */
  sessionId?: string;
  /** Default: config.accessTokenTtlSeconds or 300. Negative values mint expired tokens. */
  ttlSeconds?: number;
  /** Default: now. */
  issuedAt?: Date;
  /** Sets `nbf`, for not-yet-valid tokens. */
  notBefore?: Date;
  /** Claims added last (may override the above). */
  extraClaims?: Json;
}

/** Signs a WorkOS-style access token with the emulator's key (also for tests and the demo banner). */
export async function issueAccessToken(ctx: TokenContext, options: AccessTokenOptions): Promise<string> {
  const key = signingKey(ctx);
  const iat = Math.floor((options.issuedAt ?? ctx.now()).getTime() / 1000);
  const ttl = options.ttlSeconds ?? ctx.config.accessTokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const claims: Json = { sid: options.sessionId ?? ctx.ids.make('session'), jti: ctx.ids.ulid() };
  const orgId = options.organizationId ?? null;
  if (orgId !== null) {
    const membership = activeMembership(ctx.store, options.userId, orgId);
    const role = options.role ?? membership?.role.slug ?? 'member';
    claims.org_id = orgId;
    claims.role = role;
    claims.roles = options.roles ?? membership?.roles.map((r) => r.slug) ?? [role];
    claims.permissions = options.permissions ?? ROLE_PERMISSIONS[role] ?? [];
  }
  if (options.notBefore) claims.nbf = Math.floor(options.notBefore.getTime() / 1000);
  return new SignJWT({ ...claims, ...options.extraClaims })
    .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid, typ: 'JWT' })
    .setIssuer(accessTokenIssuer(ctx))
    .setSubject(options.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key.privateKey);
}

export interface DemoAccessToken {
  email: string;
  userId: string;
  organizationId: string | null;
  role: string | null;
  accessToken: string;
}

/**
 * Tokens for every user that has a password (the seeded demo users), in their first organization,
 * for the start banner. Default lifetime 12 h so a copied token outlives a demo session.
 */
export async function issueDemoAccessTokens(ctx: TokenContext, ttlSeconds = 12 * 3600): Promise<DemoAccessToken[]> {
  const out: DemoAccessToken[] = [];
  for (const userId of [...ctx.store.auth.passwords.keys()].sort()) {
    const user = ctx.store.users.get(userId);
    if (!user) continue;
    const membership = activeMemberships(ctx.store, userId)[0];
    const organizationId = membership?.organization_id ?? null;
    const accessToken = await issueAccessToken(ctx, { userId, organizationId, ttlSeconds });
    out.push({ email: user.email, userId, organizationId, role: membership?.role.slug ?? null, accessToken });
  }
  return out;
}

export interface AuthorizationCodeOptions {
  userId: string;
  /** null/undefined = a sign-in without organization. */
  organizationId?: string | null;
  /** PKCE S256 challenge the code exchange must match. */
  codeChallenge?: string;
  /** Reported back as `authentication_method` (default `SSO`). */
  authenticationMethod?: string;
}

/** A single-use code for grant_type=authorization_code, as hosted AuthKit would redirect with. */
export function createAuthorizationCode(ctx: Pick<EmulatorContext, 'store' | 'now'>, options: AuthorizationCodeOptions): string {
  const code = opaqueToken();
  ctx.store.auth.authorizationCodes.set(code, {
    userId: options.userId,
    organizationId: options.organizationId ?? null,
    codeChallenge: options.codeChallenge,
    authenticationMethod: options.authenticationMethod,
    expiresAt: ctx.now().getTime() + CODE_TTL_MS,
  });
  return code;
}

/** Enrolls a TOTP factor (Base32 secret, generated when absent); later sign-ins need the MFA step. */
export function enrollTotpFactor(ctx: EmulatorContext, userId: string, secret?: string, issuer = 'WorkOS'): AuthFactorRecord {
  const user = ctx.store.users.get(userId);
  if (!user) throw notFoundMessage('User', userId);
  const factor: AuthFactorRecord = {
    id: ctx.ids.make('authFactor'),
    userId,
    type: 'totp',
    secret: secret ?? new Secret({ size: 20 }).base32,
    issuer,
    user: user.email,
    createdAt: ctx.now().toISOString(),
  };
  ctx.store.auth.authFactors.set(factor.id, factor);
  return factor;
}

// ---------- small helpers ----------

const opaqueToken = () => randomBytes(24).toString('base64url');
const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

const oauthError = (error: string, description: string) =>
  new ApiError(400, { error, error_description: description });

const notFoundMessage = (entity: string, id: string) =>
  new ApiError(404, { code: 'entity_not_found', message: `${entity} not found: '${id}'.` });

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function str(body: Json, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** JSON (what the SDK sends) or a form body (what OAuth clients send). */
async function readBody(c: Context, onInvalid: () => ApiError): Promise<Json> {
  const type = c.req.header('content-type') ?? '';
  try {
    if (type.includes('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(await c.req.text()));
    }
    const text = await c.req.text();
    if (text.trim() === '') return {};
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw onInvalid();
    return parsed as Json;
  } catch (err) {
    throw err instanceof ApiError ? err : onInvalid();
  }
}

const invalidBody = () => unprocessable([{ field: 'body', code: 'invalid_json' }], 'The request body must be a JSON object.');

function findUserByEmail(store: Store, email: string): UserRecord | undefined {
  const wanted = email.trim().toLowerCase();
  for (const user of store.users.values()) if (user.email.toLowerCase() === wanted) return user;
  return undefined;
}

function activeMemberships(store: Store, userId: string): MembershipRecord[] {
  return [...store.memberships.values()]
    .filter((m) => m.user_id === userId && m.status === 'active')
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function activeMembership(store: Store, userId: string, organizationId: string): MembershipRecord | undefined {
  return activeMemberships(store, userId).find((m) => m.organization_id === organizationId);
}

function markEmailVerified(ctx: EmulatorContext, user: UserRecord): void {
  if (user.email_verified) return;
  user.email_verified = true;
  user.updated_at = ctx.now().toISOString();
  ctx.emit('user.updated', { ...user });
}

function newEmailVerification(ctx: EmulatorContext, user: UserRecord) {
  const now = ctx.now();
  const entry = {
    id: ctx.ids.make('emailVerification'),
    userId: user.id,
    code: sixDigits(),
    expiresAt: now.getTime() + CODE_TTL_MS,
    createdAt: now.toISOString(),
  };
  ctx.store.auth.emailVerifications.set(user.id, entry);
  return entry;
}

function emailVerificationWire(entry: { id: string; userId: string; code: string; expiresAt: number; createdAt: string }, email: string) {
  return {
    object: 'email_verification',
    id: entry.id,
    user_id: entry.userId,
    email,
    expires_at: new Date(entry.expiresAt).toISOString(),
    code: entry.code,
    created_at: entry.createdAt,
    updated_at: entry.createdAt,
  };
}

// ---------- authenticate ----------

/** An `authentication_method` value: Password, MagicAuth, SSO, ... */
type Method = string;

function pendingToken(ctx: EmulatorContext, userId: string, method: Method, emailVerificationCode?: string): string {
  const token = opaqueToken();
  ctx.store.auth.pendingAuthentications.set(token, {
    userId,
    organizationId: null,
    authenticationMethod: method,
    emailVerificationCode,
    expiresAt: ctx.now().getTime() + PENDING_TTL_MS,
  });
  return token;
}

/** Throws the 403 that asks for the next sign-in step, if any (email verification, then MFA). */
function requireNextStep(ctx: EmulatorContext, user: UserRecord, method: Method, checkEmail: boolean): void {
  if (checkEmail && !user.email_verified) {
    const verification = newEmailVerification(ctx, user);
    throw new ApiError(403, {
      code: 'email_verification_required',
      message: 'Email ownership must be verified before authentication.',
      pending_authentication_token: pendingToken(ctx, user.id, method, verification.code),
      email: user.email,
      email_verification_id: verification.id,
    });
  }
  const factors = [...ctx.store.auth.authFactors.values()].filter((f) => f.userId === user.id);
  if (factors.length > 0) {
    throw new ApiError(403, {
      code: 'mfa_challenge',
      message: 'The user must complete an MFA challenge to finish authenticating.',
      pending_authentication_token: pendingToken(ctx, user.id, method),
      authentication_factors: factors.map((f) => ({ id: f.id, type: f.type })),
      user,
    });
  }
}

async function issueSession(
  ctx: EmulatorContext,
  user: UserRecord,
  options: { organizationId?: string | null; method?: Method; sessionId?: string; signIn: boolean },
): Promise<Json> {
  const organizationId =
    options.organizationId !== undefined ? options.organizationId : (activeMemberships(ctx.store, user.id)[0]?.organization_id ?? null);
  const sessionId = options.sessionId ?? ctx.ids.make('session');
  if (!ctx.store.auth.sessions.has(sessionId)) {
    ctx.store.auth.sessions.set(sessionId, { userId: user.id, createdAt: ctx.now().toISOString(), revokedAt: null });
  }
  const accessToken = await issueAccessToken(ctx, { userId: user.id, organizationId, sessionId });
  const refreshToken = opaqueToken();
  ctx.store.auth.refreshTokens.set(refreshToken, { userId: user.id, organizationId, sessionId });
  if (options.signIn) user.last_sign_in_at = ctx.now().toISOString();
  return {
    user,
    ...(organizationId ? { organization_id: organizationId } : {}),
    access_token: accessToken,
    refresh_token: refreshToken,
    ...(options.method ? { authentication_method: options.method } : {}),
  };
}

function takePending(ctx: EmulatorContext, token: string | undefined) {
  if (!token) throw oauthError('invalid_request', 'pending_authentication_token is required.');
  const pending = ctx.store.auth.pendingAuthentications.get(token);
  if (!pending || (pending.expiresAt !== undefined && pending.expiresAt < ctx.now().getTime())) {
    throw badRequest('invalid_pending_authentication_token', 'The pending authentication token is invalid or expired.');
  }
  const user = ctx.store.users.get(pending.userId);
  if (!user) throw badRequest('invalid_pending_authentication_token', 'The pending authentication token is invalid or expired.');
  return { pending, user };
}

function checkClient(ctx: EmulatorContext, body: Json, secretOptional: boolean): void {
  const clientId = str(body, 'client_id');
  if (!clientId) throw oauthError('invalid_request', 'client_id is required.');
  if (clientId !== ctx.config.clientId) throw oauthError('invalid_client', 'Invalid client ID.');
  const secret = str(body, 'client_secret');
  if (secret === undefined ? !secretOptional : !safeEqual(secret, ctx.config.apiKey)) {
    throw oauthError('invalid_client', 'Invalid client secret.');
  }
}

function required(body: Json, ...keys: string[]): string[] {
  const missing = keys.filter((k) => str(body, k) === undefined);
  if (missing.length > 0) throw oauthError('invalid_request', `Missing required parameter(s): ${missing.join(', ')}.`);
  return keys.map((k) => str(body, k)!);
}

type GrantHandler = (ctx: EmulatorContext, body: Json) => Promise<Json>;

const grants: Record<string, GrantHandler> = {
  async password(ctx, body) {
    checkClient(ctx, body, false);
    const [email, password] = required(body, 'email', 'password');
    const user = findUserByEmail(ctx.store, email);
    const stored = user ? ctx.store.auth.passwords.get(user.id) : undefined;
    if (!user || stored === undefined || !safeEqual(stored, password)) {
      throw badRequest('invalid_credentials', 'Invalid credentials.');
    }
    requireNextStep(ctx, user, 'Password', true);
    return issueSession(ctx, user, { method: 'Password', signIn: true });
  },

  async authorization_code(ctx, body) {
    const verifier = str(body, 'code_verifier');
    checkClient(ctx, body, verifier !== undefined);
    const [code] = required(body, 'code');
    const entry = ctx.store.auth.authorizationCodes.get(code);
    if (!entry) throw oauthError('invalid_grant', 'The code is invalid or has already been used.');
    ctx.store.auth.authorizationCodes.delete(code);
    if (entry.expiresAt !== undefined && entry.expiresAt < ctx.now().getTime()) {
      throw oauthError('invalid_grant', 'The code has expired.');
    }
    if (entry.codeChallenge !== undefined) {
      const computed = verifier ? createHash('sha256').update(verifier).digest('base64url') : '';
      if (!safeEqual(computed, entry.codeChallenge)) throw oauthError('invalid_grant', 'The code_verifier does not match the code challenge.');
    }
    const user = ctx.store.users.get(entry.userId);
    if (!user) throw oauthError('invalid_grant', 'The user of this code no longer exists.');
    return issueSession(ctx, user, { organizationId: entry.organizationId ?? undefined, method: entry.authenticationMethod ?? 'SSO', signIn: true });
  },

  async refresh_token(ctx, body) {
    // Public clients (no API key) refresh without a secret, as the SDK does.
    checkClient(ctx, body, true);
    const [token] = required(body, 'refresh_token');
    const entry = ctx.store.auth.refreshTokens.get(token);
    const user = entry ? ctx.store.users.get(entry.userId) : undefined;
    if (!entry || !user || ctx.store.auth.sessions.get(entry.sessionId)?.revokedAt) {
      throw oauthError('invalid_grant', 'The refresh token is invalid or has already been used.');
    }
    const switchTo = str(body, 'organization_id');
    const organizationId = switchTo ?? entry.organizationId;
    if (switchTo && !ctx.store.organizations.has(switchTo)) {
      throw oauthError('organization_not_found', `Organization not found: '${switchTo}'.`);
    }
    if (organizationId && !activeMembership(ctx.store, user.id, organizationId)) {
      throw oauthError('organization_membership_not_found', `The user is not an active member of '${organizationId}'.`);
    }
    // Single use: rotated only once the new session state is known to be valid.
    ctx.store.auth.refreshTokens.delete(token);
    return issueSession(ctx, user, { organizationId, sessionId: entry.sessionId, signIn: false });
  },

  async 'urn:workos:oauth:grant-type:magic-auth:code'(ctx, body) {
    checkClient(ctx, body, false);
    const [code, email] = required(body, 'code', 'email');
    const key = email.trim().toLowerCase();
    const entry = ctx.store.auth.magicAuthCodes.get(key);
    if (!entry || !safeEqual(entry.code, code)) throw badRequest('invalid_one_time_code', 'The code is invalid.');
    ctx.store.auth.magicAuthCodes.delete(key);
    if (entry.expiresAt < ctx.now().getTime()) throw badRequest('one_time_code_expired', 'The code has expired.');
    const user = ctx.store.users.get(entry.userId);
    if (!user) throw badRequest('invalid_one_time_code', 'The code is invalid.');
    // Receiving the code proves the email address.
    markEmailVerified(ctx, user);
    requireNextStep(ctx, user, 'MagicAuth', false);
    return issueSession(ctx, user, { method: 'MagicAuth', signIn: true });
  },

  async 'urn:workos:oauth:grant-type:email-verification:code'(ctx, body) {
    checkClient(ctx, body, false);
    const [code, token] = required(body, 'code', 'pending_authentication_token');
    const { pending, user } = takePending(ctx, token);
    const verification = ctx.store.auth.emailVerifications.get(user.id);
    if (!verification || !safeEqual(verification.code, code)) throw badRequest('invalid_one_time_code', 'The code is invalid.');
    if (verification.expiresAt < ctx.now().getTime()) throw badRequest('one_time_code_expired', 'The code has expired.');
    ctx.store.auth.emailVerifications.delete(user.id);
    ctx.store.auth.pendingAuthentications.delete(token);
    markEmailVerified(ctx, user);
    const method = pending.authenticationMethod ?? 'Password';
    requireNextStep(ctx, user, method, false);
    return issueSession(ctx, user, { method, signIn: true });
  },

  async 'urn:workos:oauth:grant-type:mfa-totp'(ctx, body) {
    checkClient(ctx, body, false);
    const [code, token, challengeId] = required(body, 'code', 'pending_authentication_token', 'authentication_challenge_id');
    const { pending, user } = takePending(ctx, token);
    const challenge = ctx.store.auth.authChallenges.get(challengeId);
    const factor = challenge ? ctx.store.auth.authFactors.get(challenge.factorId) : undefined;
    if (!challenge || !factor) throw oauthError('invalid_grant', `Authentication challenge not found: '${challengeId}'.`);
    if (factor.userId !== user.id) throw badRequest('user_mismatch', 'The challenge belongs to another user.');
    const totp = new TOTP({ secret: Secret.fromBase32(factor.secret), algorithm: 'SHA1', digits: 6, period: 30 });
    if (totp.validate({ token: code, timestamp: ctx.now().getTime(), window: 1 }) === null) {
      throw badRequest('invalid_one_time_code', 'The code is invalid.');
    }
    ctx.store.auth.authChallenges.delete(challengeId);
    ctx.store.auth.pendingAuthentications.delete(token);
    return issueSession(ctx, user, { method: pending.authenticationMethod ?? 'Password', signIn: true });
  },
};

// ---------- routes ----------

const authkit: RouteModule = (app: Hono, ctx: EmulatorContext) => {
  // Made at mount, so the JWKS stays the same for the emulator's whole life.
  signingKey(ctx);

  app.get('/sso/jwks/:clientId', (c) => {
    if (c.req.param('clientId') !== ctx.config.clientId) {
      throw new ApiError(404, { message: `Client not found: '${c.req.param('clientId')}'.` });
    }
    return c.json(jwks(ctx));
  });

  app.post('/user_management/authenticate', async (c) => {
    const body = await readBody(c, () => oauthError('invalid_request', 'The request body is not valid JSON.'));
    const grantType = str(body, 'grant_type');
    if (!grantType) throw oauthError('invalid_request', 'grant_type is required.');
    const handler = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
    if (!handler) throw oauthError('invalid_request', `Unsupported grant_type '${grantType}'.`);
    return c.json(await handler(ctx, body));
  });

  // Sign-out: the session's refresh tokens stop working; access tokens already out stay valid
  // until they expire (they are JWTs, checked without asking WorkOS). Revoking twice is fine.
  app.post('/user_management/sessions/revoke', async (c) => {
    const sessionId = str(await readBody(c, invalidBody), 'session_id');
    if (!sessionId) throw new ApiError(400, { message: 'session_id is required.' });
    const session = ctx.store.auth.sessions.get(sessionId);
    if (!session) throw new ApiError(400, { message: `Session not found: '${sessionId}'.` });
    session.revokedAt ??= ctx.now().toISOString();
    for (const [token, entry] of ctx.store.auth.refreshTokens) {
      if (entry.sessionId === sessionId) ctx.store.auth.refreshTokens.delete(token);
    }
    return c.body(null, 200);
  });

  app.post('/user_management/magic_auth', async (c) => {
    const email = str(await readBody(c, invalidBody), 'email')?.trim();
    if (!email || !email.includes('@')) throw unprocessable([{ field: 'email', code: 'invalid_email' }], 'A valid email is required.');
    const user = findUserByEmail(ctx.store, email) ?? signUp(ctx, email);
    const now = ctx.now();
    const entry = {
      id: ctx.ids.make('magicAuth'),
      code: sixDigits(),
      userId: user.id,
      email: user.email,
      expiresAt: now.getTime() + CODE_TTL_MS,
      createdAt: now.toISOString(),
    };
    // One live code per email: a new one replaces the old.
    ctx.store.auth.magicAuthCodes.set(user.email.toLowerCase(), entry);
    return c.json(magicAuthWire(entry), 201);
  });

  app.get('/user_management/magic_auth/:id', (c) => {
    const id = c.req.param('id');
    const entry = [...ctx.store.auth.magicAuthCodes.values()].find((m) => m.id === id);
    if (!entry) throw notFoundMessage('Magic Auth', id);
    return c.json(magicAuthWire(entry));
  });

  app.post('/user_management/password_reset', async (c) => {
    const email = str(await readBody(c, invalidBody), 'email');
    if (!email) throw unprocessable([{ field: 'email', code: 'required' }], 'email is required.');
    const user = findUserByEmail(ctx.store, email);
    if (!user) throw notFoundMessage('User', email);
    const now = ctx.now();
    const entry = {
      id: ctx.ids.make('passwordReset'),
      userId: user.id,
      token: opaqueToken(),
      email: user.email,
      expiresAt: now.getTime() + PASSWORD_RESET_TTL_MS,
      createdAt: now.toISOString(),
    };
    ctx.store.auth.passwordResets.set(entry.token, entry);
    return c.json(passwordResetWire(ctx, entry), 201);
  });

  app.get('/user_management/password_reset/:id', (c) => {
    const id = c.req.param('id');
    const entry = [...ctx.store.auth.passwordResets.values()].find((r) => r.id === id);
    if (!entry) throw notFoundMessage('Password Reset', id);
    return c.json(passwordResetWire(ctx, entry));
  });

  app.post('/user_management/password_reset/confirm', async (c) => {
    const body = await readBody(c, invalidBody);
    const token = str(body, 'token');
    const newPassword = str(body, 'new_password');
    if (!token || !newPassword) {
      const missing = [!token && 'token', !newPassword && 'new_password'].filter((f): f is string => !!f);
      throw unprocessable(missing.map((field) => ({ field, code: 'required' })));
    }
    const entry = ctx.store.auth.passwordResets.get(token);
    const user = entry ? ctx.store.users.get(entry.userId) : undefined;
    if (!entry || !user) throw new ApiError(404, { message: 'Password reset token not found.' });
    if (entry.expiresAt < ctx.now().getTime()) {
      throw badRequest('password_reset_error', 'Could not reset the password.', {
        errors: [{ code: 'password_reset_token_expired', message: 'The password reset token has expired.' }],
      });
    }
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      throw badRequest('password_reset_error', 'Could not reset the password.', {
        errors: [{ code: 'password_too_short', message: `The password must be at least ${MIN_PASSWORD_LENGTH} characters.` }],
      });
    }
    ctx.store.auth.passwordResets.delete(token);
    ctx.store.auth.passwords.set(user.id, newPassword);
    markEmailVerified(ctx, user);
    return c.json({ user });
  });

  app.post('/user_management/users/:id/email_verification/send', (c) => {
    const user = ctx.store.users.get(c.req.param('id'));
    if (!user) throw notFoundMessage('User', c.req.param('id'));
    if (user.email_verified) throw badRequest('email_already_verified', 'The email is already verified.');
    newEmailVerification(ctx, user);
    return c.json({ user });
  });

  app.post('/user_management/users/:id/email_verification/confirm', async (c) => {
    const user = ctx.store.users.get(c.req.param('id'));
    if (!user) throw notFoundMessage('User', c.req.param('id'));
    const code = str(await readBody(c, invalidBody), 'code');
    if (!code) throw unprocessable([{ field: 'code', code: 'required' }]);
    if (user.email_verified) throw badRequest('email_previously_verified', 'The email is already verified.');
    const entry = ctx.store.auth.emailVerifications.get(user.id);
    if (!entry || !safeEqual(entry.code, code)) throw badRequest('email_verification_code_incorrect', 'The code is incorrect.');
    if (entry.expiresAt < ctx.now().getTime()) throw badRequest('email_verification_code_expired', 'The code has expired.');
    ctx.store.auth.emailVerifications.delete(user.id);
    markEmailVerified(ctx, user);
    return c.json({ user });
  });

  app.get('/user_management/email_verification/:id', (c) => {
    const id = c.req.param('id');
    const entry = [...ctx.store.auth.emailVerifications.values()].find((v) => v.id === id);
    const user = entry ? ctx.store.users.get(entry.userId) : undefined;
    if (!entry || !user) throw notFoundMessage('Email Verification', id);
    return c.json(emailVerificationWire(entry, user.email));
  });

  app.post('/user_management/users/:id/auth_factors', async (c) => {
    const userId = c.req.param('id');
    if (!ctx.store.users.has(userId)) throw notFoundMessage('User', userId);
    const body = await readBody(c, invalidBody);
    if (str(body, 'type') !== 'totp') throw unprocessable([{ field: 'type', code: 'invalid_enum_value' }], "type must be 'totp'.");
    const secret = str(body, 'totp_secret');
    if (secret !== undefined && !/^[A-Z2-7]+=*$/i.test(secret)) {
      throw unprocessable([{ field: 'totp_secret', code: 'invalid_base32' }], 'totp_secret must be Base32.');
    }
    const factor = enrollTotpFactor(ctx, userId, secret?.toUpperCase(), str(body, 'totp_issuer'));
    const label = str(body, 'totp_user');
    if (label) factor.user = label;
    return c.json({ authentication_factor: factorWire(factor, true), authentication_challenge: newChallenge(ctx, factor) }, 201);
  });

  app.post('/auth/factors/:id/challenge', (c) => {
    const factor = ctx.store.auth.authFactors.get(c.req.param('id'));
    if (!factor) throw notFoundMessage('Authentication Factor', c.req.param('id'));
    return c.json(newChallenge(ctx, factor), 201);
  });
};

export default authkit;

/** Magic auth for an unknown email signs the address up, as AuthKit does. */
function signUp(ctx: EmulatorContext, email: string): UserRecord {
  const now = ctx.now().toISOString();
  const user: UserRecord = {
    object: 'user',
    id: ctx.ids.make('user'),
    email,
    email_verified: false,
    first_name: null,
    last_name: null,
    profile_picture_url: null,
    external_id: null,
    last_sign_in_at: null,
    metadata: {},
    locale: null,
    created_at: now,
    updated_at: now,
  };
  ctx.store.users.set(user.id, user);
  ctx.emit('user.created', { ...user });
  return user;
}

function magicAuthWire(entry: { id: string; code: string; userId: string; expiresAt: number; email?: string; createdAt?: string }) {
  const createdAt = entry.createdAt ?? new Date(entry.expiresAt - CODE_TTL_MS).toISOString();
  return {
    object: 'magic_auth',
    id: entry.id,
    user_id: entry.userId,
    email: entry.email ?? '',
    expires_at: new Date(entry.expiresAt).toISOString(),
    created_at: createdAt,
    updated_at: createdAt,
    code: entry.code,
  };
}

function passwordResetWire(ctx: EmulatorContext, entry: { id: string; userId: string; token: string; expiresAt: number; email?: string; createdAt?: string }) {
  return {
    object: 'password_reset',
    id: entry.id,
    user_id: entry.userId,
    email: entry.email ?? '',
    expires_at: new Date(entry.expiresAt).toISOString(),
    created_at: entry.createdAt ?? new Date(entry.expiresAt - PASSWORD_RESET_TTL_MS).toISOString(),
    password_reset_token: entry.token,
    // WorkOS links to the app's configured reset page; the emulator has none, so this is nominal.
    password_reset_url: `${ctx.config.baseUrl()}/reset-password?token=${encodeURIComponent(entry.token)}`,
  };
}

function factorWire(factor: AuthFactorRecord, withSecrets: boolean) {
  const totp = new TOTP({ issuer: factor.issuer, label: factor.user, secret: Secret.fromBase32(factor.secret) });
  const uri = totp.toString();
  return {
    object: 'authentication_factor',
    id: factor.id,
    type: factor.type,
    user_id: factor.userId,
    totp: withSecrets
      ? {
          issuer: factor.issuer,
          user: factor.user,
          secret: factor.secret,
          // No QR image is rendered; the data URI carries the otpauth URI as text.
          qr_code: `data:text/plain;base64,${Buffer.from(uri).toString('base64')}`,
          uri,
        }
      : { issuer: factor.issuer, user: factor.user },
    created_at: factor.createdAt,
    updated_at: factor.createdAt,
  };
}

function newChallenge(ctx: EmulatorContext, factor: AuthFactorRecord) {
  const now = ctx.now().toISOString();
  const challenge = { id: ctx.ids.make('authChallenge'), factorId: factor.id, userId: factor.userId, createdAt: now };
  ctx.store.auth.authChallenges.set(challenge.id, challenge);
  return { object: 'authentication_challenge', id: challenge.id, authentication_factor_id: factor.id, created_at: now, updated_at: now };
}
