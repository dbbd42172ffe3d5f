import type { WorkOS } from '@workos-inc/node';
import type { GatewayConfig } from '../config/index.ts';
import { GatewayError } from '../errors/codes.ts';
import type { WorkOSLoaders } from '../data/loaders.ts';
import { AccessTokenVerifier } from './access-tokens.ts';
import { Access } from './access.ts';
import { Authenticator, unauthenticated } from './authenticate.ts';
import { ANONYMOUS, type Caller } from './caller.ts';
import { CookieSessions, type SessionData } from './cookie-session.ts';
import { RevokedSessions } from './revoked-sessions.ts';
import { RequestSession } from './session.ts';
import { defaultIssuers } from '../config/security.ts';
import type { SharedStore } from '../shared/store.ts';
import { ExportOwners } from './export-owners.ts';
import { ServiceTokens } from './service-tokens.ts';
import { SignIn } from './sign-in.ts';
import { SignInLimits } from './sign-in-limits.ts';

export interface RequestAuth {
  caller: Caller;
  access: Access;
  signIn: SignIn;
  session: RequestSession;
}

/**
 * The gateway-wide parts of authentication (key set cache, service token hashes, sign-in
 * limits, export owners, signed-out sessions), and the per-request parts made from them. With
 * a SharedStore the sign-in limits, export owners and signed-out sessions are shared with the
 * other instances through Redis.
 */
export class GatewayAuth {
  readonly exportOwners: ExportOwners;
  private readonly authenticator: Authenticator;
  private readonly signInLimits: SignInLimits;
  /** The AuthKit key set (for readiness); undefined without a client id. */
  readonly keys: { load(): Promise<void>; loaded(): boolean } | undefined;
  /** The session cookie's reader and writer, when GATEWAY_COOKIE_SESSIONS is on. */
  readonly cookies: CookieSessions | undefined;
  private readonly revoked: RevokedSessions;

  constructor(
    config: Pick<GatewayConfig, 'workos' | 'security' | 'cookieSessions'>,
    private readonly workos: WorkOS,
    /** The upstream queue's fetch: key set downloads go through the one door to WorkOS. */
    upstreamFetch: (url: string, init: RequestInit) => Promise<Response>,
    /** Redis shared with the other instances, when REDIS_URL is set. */
    shared?: SharedStore,
  ) {
    const { workos: w, security } = config;
    const base = `${w.https ? 'https' : 'http'}://${w.apiHostname}${w.apiPort ? `:${w.apiPort}` : ''}`;
    // Without a client id there is no key set to check AuthKit tokens against: service tokens only.
    const verifier = w.clientId
      ? new AccessTokenVerifier({
          jwksUrl: new URL(`${base}/sso/jwks/${encodeURIComponent(w.clientId)}`),
          issuers: security.issuers ?? defaultIssuers(base, w.clientId),
          fetch: upstreamFetch,
        })
      : undefined;
    this.keys = verifier ? { load: () => verifier.loadKeys(), loaded: () => verifier.keysLoaded() } : undefined;
    this.authenticator = new Authenticator(new ServiceTokens(security.serviceTokenHashes), verifier);
    this.signInLimits = new SignInLimits(security.signIn, shared);
    this.exportOwners = new ExportOwners({ store: shared });
    this.revoked = new RevokedSessions(shared);
    this.cookies = config.cookieSessions.enabled ? new CookieSessions(config.cookieSessions, workos) : undefined;
  }

  async forRequest(request: Request, clientAddress: string, loaders: WorkOSLoaders): Promise<RequestAuth> {
    const authorization = request.headers.get('authorization');
    // A bearer token speaks for itself; without one, in cookie mode, the session cookie does.
    const fromCookie = this.cookies !== undefined && !authorization?.trim();
    const current = fromCookie ? await this.cookies!.sessionOf(request) : undefined;
    let caller: Caller = ANONYMOUS;
    if (!fromCookie) caller = await this.authenticator.callerOf(authorization);
    else if (current) caller = await this.cookieCaller(request, current);
    if (caller.kind === 'user' && (await this.revoked.has(caller.sessionId))) {
      if (current) throw this.cookies!.ended(request);
      throw unauthenticated();
    }
    const session = new RequestSession({ workos: this.workos, cookies: this.cookies, revoked: this.revoked, request, caller, current });
    const client = { ipAddress: clientAddress, userAgent: request.headers.get('user-agent') ?? undefined };
    return {
      caller,
      access: new Access(caller, loaders, this.exportOwners),
      // Every sign-in that succeeds starts the request's session (the cookie, in cookie mode).
      signIn: new SignIn(this.workos, loaders, this.signInLimits, client, (response) => session.started(response)),
      session,
    };
  }

  /** The cookie's access token, checked like any bearer token; a cookie that fails is cleared. */
  private async cookieCaller(request: Request, session: SessionData): Promise<Caller> {
    let caller: Caller;
    try {
      caller = await this.authenticator.callerOf(`Bearer ${session.accessToken}`);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'UNAUTHENTICATED') throw this.cookies!.ended(request);
      throw error;
    }
    // Only an AuthKit access token belongs in a session cookie.
    if (caller.kind !== 'user') throw this.cookies!.ended(request);
    return caller;
  }
}
