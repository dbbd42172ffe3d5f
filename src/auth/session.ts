import { BadRequestException, GenericServerException, NotFoundException, type AuthenticationResponse, type WorkOS } from '@workos-inc/node';
import { toGatewayError } from '../errors/upstream.ts';
import type { Caller } from './caller.ts';
import type { CookieSessions, SessionData } from './cookie-session.ts';
import type { RevokedSessions } from './revoked-sessions.ts';

export interface RequestSessionParts {
  workos: WorkOS;
  /** Set when cookie sessions are on (GATEWAY_COOKIE_SESSIONS). */
  cookies: CookieSessions | undefined;
  revoked: RevokedSessions;
  request: Request;
  caller: Caller;
  /** The session the request's cookie carried (after any refresh). */
  current: SessionData | undefined;
}

/**
 * A request's AuthKit session: where a sign-in puts the new session (the HttpOnly cookie in
 * cookie mode, else the response body) and how it ends (signOut).
 */
export class RequestSession {
  private session: SessionData | undefined;

  constructor(private readonly parts: RequestSessionParts) {
    this.session = parts.current;
  }

  /** True when sessions live in the cookie: sign-ins then return no tokens in the body. */
  get cookieMode(): boolean {
    return this.parts.cookies !== undefined;
  }

  /** The cookie's session, or the one a sign-in in this request started. */
  get current(): SessionData | undefined {
    return this.session;
  }

  /** A sign-in succeeded: in cookie mode the response sets the session cookie. */
  async started(response: AuthenticationResponse): Promise<void> {
    if (this.parts.cookies) this.session = await this.parts.cookies.start(this.parts.request, response);
  }

  /**
   * Ends the caller's session: forgotten here at once (the cookie is cleared, the session id
   * refused from now on), then revoked at WorkOS, so its refresh token stops working. Returns
   * the session id, null when the caller had none.
   */
  async signOut(): Promise<string | null> {
    const { caller, cookies, request, revoked, workos } = this.parts;
    cookies?.clear(request);
    this.session = undefined;
    if (caller.kind !== 'user' || !caller.sessionId) return null;
    const { sessionId } = caller;
    // Shared with the other instances before WorkOS is asked (never rejects: Redis down, this instance still refuses it).
    await revoked.add(sessionId, caller.expiresAt);
    try {
      await workos.userManagement.revokeSession({ sessionId });
    } catch (error) {
      // Already revoked or unknown to WorkOS: the session is over either way.
      const gone = error instanceof BadRequestException || error instanceof NotFoundException || (error instanceof GenericServerException && error.status === 400);
      if (!gone) throw toGatewayError(error);
    }
    return sessionId;
  }
}
