import type { RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';
import { createAuthorizationCode } from './authkit.ts';

/**
 * Hosted AuthKit sign-in, as a browser sees it: GET /user_management/authorize (no API key) with
 * WorkOS' query parameters. The emulator has no sign-in form: `login_hint` names who signs in;
 * without it a page lists the users with a password as links that add it. It redirects to
 * `redirect_uri` with `code` and `state`; the code is bound to `code_challenge` (PKCE, S256 only),
 * so the exchange must send the matching `code_verifier`.
 *
 * The session's organization: `organization_id`, or the organization of `connection_id`, when the
 * user is an active member of it; with `provider` the user's oldest active membership. Errors the
 * app can receive go back to `redirect_uri` as `error` and `error_description`; a request too broken
 * to redirect (client id, redirect URI) answers 422.
 */

export const AUTHORIZE_PATH = '/user_management/authorize';

const PROVIDERS = new Set([
  'authkit', 'AppleOAuth', 'BitbucketOAuth', 'GitHubOAuth', 'GitLabOAuth', 'GoogleOAuth', 'IntuitOAuth',
  'LinkedInOAuth', 'MicrosoftOAuth', 'SalesforceOAuth', 'SlackOAuth', 'VercelMarketplaceOAuth', 'VercelOAuth', 'XeroOAuth',
]);
const CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const authorize: RouteModule = (app, ctx) => {
  const { store } = ctx;

  app.get(AUTHORIZE_PATH, (c) => {
    const q = new URL(c.req.url).searchParams;
    const invalid = (message: string) => new ApiError(422, { code: 'invalid_request_parameters', message });
    if (q.get('client_id') !== ctx.config.clientId) throw invalid('Invalid client_id.');
    const redirect = q.get('redirect_uri') ?? '';
    if (!/^https?:\/\//.test(redirect) || !URL.canParse(redirect)) throw invalid('redirect_uri must be an http(s) URL.');
    const state = q.get('state');
    const back = (params: Record<string, string>) => {
      const url = new URL(redirect);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      if (state !== null) url.searchParams.set('state', state);
      return c.redirect(url.toString(), 302);
    };
    const fail = (error: string, description: string) => back({ error, error_description: description });

    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', "response_type must be 'code'.");
    const provider = q.get('provider');
    const connectionId = q.get('connection_id');
    const organizationId = q.get('organization_id');
    const targets = [provider, connectionId, organizationId].filter((x) => x !== null);
    if (targets.length !== 1) return fail('invalid_request', 'Pass exactly one of provider, connection_id or organization_id.');
    if (provider !== null && !PROVIDERS.has(provider)) return fail('invalid_request', `Unknown provider '${provider}'.`);
    const challenge = q.get('code_challenge') ?? undefined;
    const method = q.get('code_challenge_method');
    if (challenge !== undefined && (method !== 'S256' || !CHALLENGE.test(challenge))) {
      return fail('invalid_request', 'code_challenge must be a base64url S256 challenge with code_challenge_method=S256.');
    }
    if (challenge === undefined && method !== null) return fail('invalid_request', 'code_challenge_method without code_challenge.');

    const hint = q.get('login_hint');
    if (!hint) {
      const links = [...store.auth.passwords.keys()]
        .map((id) => store.users.get(id))
        .filter((u) => u !== undefined)
        .map((u) => {
          const url = new URL(c.req.url);
          url.searchParams.set('login_hint', u.email);
          return `<li><a href="${escapeHtml(url.pathname + url.search)}">${escapeHtml(u.email)}</a></li>`;
        });
      return c.html(`<!doctype html><title>Sign in (emulated AuthKit)</title><h1>Sign in as</h1><ul>${links.join('')}</ul>`);
    }
    const user = [...store.users.values()].find((u) => u.email.toLowerCase() === hint.toLowerCase());
    if (!user) return fail('access_denied', 'No user has that email.');

    const activeIn = (orgId: string) => [...store.memberships.values()].some((m) => m.user_id === user.id && m.organization_id === orgId && m.status === 'active');
    let orgId: string | null | undefined;
    let authenticationMethod: string;
    if (connectionId !== null) {
      const connection = store.connections.get(connectionId);
      if (!connection || connection.state !== 'active') return fail('invalid_connection', 'The connection is not active.');
      orgId = connection.organization_id;
      authenticationMethod = 'SSO';
    } else if (organizationId !== null) {
      if (!store.organizations.has(organizationId)) return fail('invalid_request', 'Unknown organization.');
      orgId = organizationId;
      authenticationMethod = 'SSO';
    } else {
      orgId = undefined;
      authenticationMethod = provider === 'authkit' ? 'Password' : (provider as string);
    }
    if (orgId && !activeIn(orgId)) return fail('access_denied', 'The user is not a member of that organization.');
    const firstOrg = [...store.memberships.values()]
      .filter((m) => m.user_id === user.id && m.status === 'active')
      .sort((a, b) => (a.id < b.id ? -1 : 1))[0]?.organization_id;
    const code = createAuthorizationCode(ctx, { userId: user.id, organizationId: orgId ?? firstOrg ?? null, codeChallenge: challenge, authenticationMethod });
    return back({ code });
  });
};

export default authorize;
