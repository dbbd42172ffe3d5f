import type { CORSOptions } from 'graphql-yoga';
import type { SecurityConfig } from '../config/security.ts';

type CorsPolicy = CORSOptions | ((request: Request) => CORSOptions | false) | false;

/**
 * Which browser origins may call the gateway. With GATEWAY_CORS_ORIGINS: those origins and no
 * other (a request from elsewhere gets no CORS headers at all); without it: any origin outside
 * production, none in it. Credentials (the session cookie) are allowed only to the listed
 * origins, and only when cookie sessions are on; otherwise bearer tokens carry identity and
 * `Access-Control-Allow-Credentials` is never sent (yoga would send it by default).
 */
export function corsOptions(security: SecurityConfig, production: boolean, cookieSessions = false): CorsPolicy {
  const methods = ['GET', 'POST', 'OPTIONS'];
  const listed = security.corsOrigins;
  if (listed) {
    // The whole list: with several origins yoga answers with the caller's and adds Vary: Origin.
    const allowed: CORSOptions = { origin: listed, methods, credentials: cookieSessions };
    return (request) => {
      const origin = request.headers.get('origin');
      return origin && listed.includes(origin) ? allowed : false;
    };
  }
  return production ? false : { methods, credentials: false };
}
