import { z } from 'zod';
import { bool, positiveInt } from './values.ts';

/**
 * Browser sessions in an HttpOnly cookie (src/auth/cookie-session.ts). The cookie's name,
 * password and attributes read the same variables as WorkOS' AuthKit libraries, so an app on
 * the same site using @workos-inc/authkit-nextjs shares its session with the gateway.
 */
export interface CookieSessionConfig {
  enabled: boolean;
  /** WORKOS_COOKIE_PASSWORD: seals the cookie (iron-session); at least 32 characters. */
  password: string;
  name: string;
  /** Absent only in local mode (no WORKOS_API_KEY), where the gateway runs on http://127.0.0.1. */
  secure: boolean;
  domain: string | undefined;
  maxAgeSeconds: number;
}

// RFC 6265 token characters.
const cookieName = z.string().trim().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, 'expected a cookie name');

/** The variables, spread into the config schema of src/config/index.ts. */
export const COOKIE_SESSION_VARIABLES = {
  GATEWAY_COOKIE_SESSIONS: bool.default(false),
  WORKOS_COOKIE_PASSWORD: z.string().min(32, 'expected at least 32 characters').optional(),
  WORKOS_COOKIE_NAME: cookieName.default('wos-session'),
  WORKOS_COOKIE_DOMAIN: z.string().trim().regex(/^\.?[A-Za-z0-9.-]+$/, 'expected a domain such as example.com').optional(),
  // AuthKit's default: 400 days, the most browsers keep a cookie; the tokens inside expire on their own.
  WORKOS_COOKIE_MAX_AGE: positiveInt.default(400 * 24 * 3600),
};

type Parsed = z.output<z.ZodObject<typeof COOKIE_SESSION_VARIABLES>> & { WORKOS_API_KEY?: string; WORKOS_CLIENT_ID?: string };

/** What stops the start: cookie sessions asked for without what they need. */
export function cookieSessionProblems(e: Parsed): string[] {
  if (!e.GATEWAY_COOKIE_SESSIONS) return [];
  const problems: string[] = [];
  if (!e.WORKOS_COOKIE_PASSWORD) problems.push('WORKOS_COOKIE_PASSWORD: required with GATEWAY_COOKIE_SESSIONS=true (at least 32 characters)');
  if (e.WORKOS_API_KEY && !e.WORKOS_CLIENT_ID) problems.push('WORKOS_CLIENT_ID: required with GATEWAY_COOKIE_SESSIONS=true (sessions are AuthKit sessions)');
  return problems;
}

export function cookieSessionsFrom(e: Parsed): CookieSessionConfig {
  return {
    enabled: e.GATEWAY_COOKIE_SESSIONS,
    password: e.WORKOS_COOKIE_PASSWORD ?? '',
    name: e.WORKOS_COOKIE_NAME,
    secure: e.WORKOS_API_KEY !== undefined,
    domain: e.WORKOS_COOKIE_DOMAIN,
    maxAgeSeconds: e.WORKOS_COOKIE_MAX_AGE,
  };
}
