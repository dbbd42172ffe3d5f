import type { Plugin } from 'graphql-yoga';
import type { CookieSessions } from '../auth/cookie-session.ts';

/**
 * Sends the Set-Cookie header a request's session produced (a sign-in, a refresh, a
 * sign-out, a cookie refused) with its response, whatever the response is; such a response is
 * for this browser alone, so no cache may keep it.
 */
export function useSessionCookies(cookies: CookieSessions): Plugin {
  return {
    onResponse({ request, response }) {
      const cookie = cookies.take(request);
      if (!cookie) return;
      response.headers.append('set-cookie', cookie);
      response.headers.set('cache-control', 'no-store');
    },
  };
}
