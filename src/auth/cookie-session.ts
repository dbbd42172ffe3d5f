import { createHash } from 'node:crypto';
import type { AuthenticationResponse, WorkOS } from '@workos-inc/node';
import { parseCookie, stringifySetCookie } from 'cookie';
import { sealData, unsealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { CookieSessionConfig } from '../config/cookie-sessions.ts';
import { GatewayError } from '../errors/codes.ts';
import { toGatewayError } from '../errors/upstream.ts';

/**
 * What WorkOS' AuthKit libraries keep in their session cookie (authkit-nextjs' `Session`):
 * the tokens and the user, as the SDK returns them. Sealed with iron-session's `sealData`
 * under WORKOS_COOKIE_PASSWORD with `ttl: 0`, exactly as those libraries seal it, so either
 * side can read what the other wrote.
 */
export interface SessionData {
  accessToken: string;
  refreshToken: string;
  user: AuthenticationResponse['user'];
  impersonator?: AuthenticationResponse['impersonator'];
  authenticationMethod?: AuthenticationResponse['authenticationMethod'];
}

/** Headers a cross-site form cannot send; a cookie request must carry one (as yoga's CSRF plugin asks). */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'] as const;

/** How long a refresh's result is shared with requests that still carry the old cookie. */
const SHARED_REFRESH_MS = 60_000;

const sessionEnded = (): GatewayError =>
  new GatewayError('UNAUTHENTICATED', 'Sign in first: the session cookie is missing, expired or was signed out.', {
    http: { status: 401 },
  });

const csrfRefused = (): GatewayError =>
  new GatewayError(
    'FORBIDDEN',
    `A request without a bearer token must send the ${CSRF_HEADERS[0]} header (any value): cookie sessions refuse what a cross-site form could send.`,
    { http: { status: 403 } },
  );

const isSession = (value: unknown): value is SessionData => {
  const v = value as Partial<SessionData> | null;
  return typeof v?.accessToken === 'string' && typeof v.refreshToken === 'string' && typeof v.user === 'object' && v.user !== null;
};

function sessionDataOf(response: AuthenticationResponse): SessionData {
  return {
    accessToken: response.accessToken,
    refreshToken: response.refreshToken,
    user: response.user,
    impersonator: response.impersonator,
    authenticationMethod: response.authenticationMethod,
  };
}

/**
 * The cookie side of browser sessions: reads and checks the `wos-session` cookie of a
 * request, refreshes it through WorkOS when its access token has expired, and collects the
 * Set-Cookie headers each response must carry (the plugin use-session-cookies.ts sends them).
 *
 * Refresh tokens work once. Requests that arrive together with the same expired cookie share
 * one refresh (and its new cookie) instead of spending the token once each; this is per
 * gateway process, so several processes behind one site need sticky sessions or a refresh
 * before expiry on the client side.
 */
export class CookieSessions {
  private readonly pending = new WeakMap<Request, string>();
  private readonly refreshes = new LRUCache<string, Promise<{ session: SessionData; sealed: string }>>({ max: 10_000, ttl: SHARED_REFRESH_MS });

  constructor(
    private readonly config: CookieSessionConfig,
    private readonly workos: WorkOS,
  ) {}

  /**
   * The request's session, refreshed when its access token has expired; undefined when it
   * carries no session cookie. Refuses a request without a CSRF header, and a cookie that is
   * not a session sealed with this password (clearing it).
   */
  async sessionOf(request: Request): Promise<SessionData | undefined> {
    if (!CSRF_HEADERS.some((name) => request.headers.has(name))) throw csrfRefused();
    const raw = parseCookie(request.headers.get('cookie') ?? '')[this.config.name];
    if (!raw) return undefined;
    const session = await this.unseal(raw);
    if (!session) throw this.ended(request);
    if (!expired(session.accessToken)) return session;
    try {
      const fresh = await this.refreshed(session);
      this.queue(request, this.cookie(fresh.sealed));
      return fresh.session;
    } catch (error) {
      const failure = toGatewayError(error);
      // Only a refusal ends the session; while WorkOS is unreachable the cookie stays for a retry.
      if (failure.code === 'BAD_USER_INPUT' || failure.code === 'NOT_FOUND') throw this.ended(request);
      throw failure;
    }
  }

  /** Seals the new session into the response's cookie (a sign-in). */
  async start(request: Request, response: AuthenticationResponse): Promise<SessionData> {
    const session = sessionDataOf(response);
    this.queue(request, this.cookie(await this.seal(session)));
    return session;
  }

  /** The response clears the cookie. */
  clear(request: Request): void {
    this.queue(request, stringifySetCookie(this.config.name, '', { ...this.attributes(), maxAge: 0, expires: new Date(0) }));
  }

  /** The Set-Cookie header for this request's response, if its session changed (taken once). */
  take(request: Request): string | undefined {
    const cookie = this.pending.get(request);
    this.pending.delete(request);
    return cookie;
  }

  /** The 401 for a session that is gone; the response also clears its cookie. */
  ended(request: Request): GatewayError {
    this.clear(request);
    return sessionEnded();
  }

  private seal(session: SessionData): Promise<string> {
    return sealData(session, { password: this.config.password, ttl: 0 });
  }

  private async unseal(sealed: string): Promise<SessionData | undefined> {
    try {
      const data: unknown = await unsealData(sealed, { password: this.config.password, ttl: 0 });
      return isSession(data) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private refreshed(session: SessionData) {
    const key = createHash('sha256').update(session.refreshToken).digest('base64url');
    let flight = this.refreshes.get(key);
    if (!flight) {
      flight = this.rotate(session);
      this.refreshes.set(key, flight);
      flight.catch(() => this.refreshes.delete(key));
    }
    return flight;
  }

  /** WorkOS' refresh grant, in the session's organization (as AuthKit's libraries refresh). */
  private async rotate(session: SessionData): Promise<{ session: SessionData; sealed: string }> {
    const organizationId = claimOf(session.accessToken, 'org_id');
    const response = await this.workos.userManagement.authenticateWithRefreshToken({ refreshToken: session.refreshToken, organizationId });
    const next: SessionData = { ...sessionDataOf(response), impersonator: response.impersonator ?? session.impersonator };
    return { session: next, sealed: await this.seal(next) };
  }

  private cookie(sealed: string): string {
    return stringifySetCookie(this.config.name, sealed, { ...this.attributes(), maxAge: this.config.maxAgeSeconds });
  }

  private attributes() {
    return { httpOnly: true, secure: this.config.secure, sameSite: 'lax', path: '/', domain: this.config.domain } as const;
  }

  private queue(request: Request, cookie: string): void {
    // The last word on the cookie wins: a sign-out after a refresh clears it.
    this.pending.set(request, cookie);
  }
}

function claimOf(token: string, claim: string): string | undefined {
  try {
    const value = decodeJwt(token)[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Expired by its own `exp` (or unreadable): the refresh token is what counts then. */
function expired(token: string, now = Date.now()): boolean {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp !== 'number' || exp * 1000 <= now;
  } catch {
    return true;
  }
}
