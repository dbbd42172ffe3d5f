import { parseSetCookie } from 'cookie';
import { sealData, unsealData } from 'iron-session';
import type { SessionData } from '../../src/auth/cookie-session.ts';
import type { GraphQLBody } from './http.ts';

/** A cookie password as an operator would set WORKOS_COOKIE_PASSWORD (32+ characters). */
export const COOKIE_PASSWORD = 'a-test-cookie-password-of-at-least-32-characters';

/** The environment of a gateway with browser sessions in the cookie. */
export const COOKIE_ENV = { GATEWAY_COOKIE_SESSIONS: 'true', WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD };

export interface CookieResponse {
  status: number;
  body: GraphQLBody;
  /** The raw Set-Cookie headers. */
  setCookies: string[];
  /** The session cookie's new value ('' when cleared), undefined when not set. */
  session: string | undefined;
  /** The Set-Cookie header of the session cookie, parsed. */
  attributes: ReturnType<typeof parseSetCookie> | undefined;
  headers: Headers;
}

/**
 * Posts GraphQL as a browser with cookie sessions does: the session cookie (if any), the CSRF
 * header (unless `csrf: false`) and no Authorization header unless given.
 */
export async function postAsBrowser(
  url: string,
  query: string,
  options: { cookie?: string; variables?: Record<string, unknown>; csrf?: boolean; headers?: Record<string, string> } = {},
): Promise<CookieResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.csrf !== false) headers['x-graphql-yoga-csrf'] = '1';
  if (options.cookie !== undefined) headers.cookie = `wos-session=${options.cookie}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables }) });
  const setCookies = response.headers.getSetCookie();
  const header = setCookies.find((c) => c.startsWith('wos-session='));
  const attributes = header ? parseSetCookie(header) : undefined;
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as GraphQLBody,
    setCookies,
    session: attributes?.value,
    attributes,
    headers: response.headers,
  };
}

/** Reads a session cookie as AuthKit's libraries do (iron-session, the cookie password). */
export const unsealSession = (sealed: string, password = COOKIE_PASSWORD) => unsealData<SessionData>(sealed, { password });

/** Seals a session as AuthKit's libraries do (iron-session `sealData`, `ttl: 0`). */
export const sealSession = (session: SessionData, password = COOKIE_PASSWORD) => sealData(session, { password, ttl: 0 });

export const SIGN_IN = `mutation ($email: String!, $password: String!) {
  signInWithPassword(input: { email: $email, password: $password }) {
    __typename
    ... on AuthenticationPayload { cookieSession accessToken refreshToken organizationId user { email } }
    ... on OrganizationSelectionRequiredError { pendingAuthenticationToken organizations { id name } }
    ... on MutationError { message }
  }
}`;

/** Completes a sign-in that answered OrganizationSelectionRequiredError (sets the cookie in cookie mode). */
export const SELECT_ORGANIZATION = `mutation ($token: String!, $org: ID!) {
  signInWithOrganizationSelection(input: { pendingAuthenticationToken: $token, organizationId: $org }) {
    __typename
    ... on AuthenticationPayload { cookieSession accessToken refreshToken organizationId user { email } }
    ... on MutationError { message }
  }
}`;

interface SelectionRequired {
  __typename: 'OrganizationSelectionRequiredError';
  pendingAuthenticationToken: string;
  organizations: { id: string; name: string }[];
}

/**
 * Signs in with a demo password and returns the session cookie's value. A member of several
 * organizations is asked to choose one: `organization` names it (by default the first offered).
 */
export async function signInCookie(url: string, email: string, options: { password?: string; organization?: string } = {}): Promise<string> {
  const response = await postAsBrowser(url, SIGN_IN, { variables: { email, password: options.password ?? 'Password123!' } });
  const result = response.body.data?.signInWithPassword as SelectionRequired | undefined;
  if (result?.__typename === 'OrganizationSelectionRequiredError') {
    const chosen = options.organization ? result.organizations.find((o) => o.name === options.organization) : result.organizations[0];
    if (!chosen) throw new Error(`${email} is not a member of ${options.organization}`);
    const selected = await postAsBrowser(url, SELECT_ORGANIZATION, { variables: { token: result.pendingAuthenticationToken, org: chosen.id } });
    if (!selected.session) throw new Error(`no session cookie for ${email} in ${chosen.name}: ${JSON.stringify(selected.body)}`);
    return selected.session;
  }
  if (!response.session) throw new Error(`no session cookie for ${email}: ${JSON.stringify(response.body)}`);
  return response.session;
}
