import type { MiddlewareHandler } from 'hono';
import { unauthorized } from '../errors.ts';
import { AUDIT_LOG_EXPORT_DOWNLOAD_PREFIX } from '../routes/audit-logs.ts';
import { PORTAL_LAUNCH_PATH } from '../routes/portal.ts';
import { LOGOUT_PATH } from '../routes/sessions.ts';

/**
 * Paths that WorkOS serves without the API key: the JWKS (fetched by jose without headers),
 * browser pages and redirects (hosted sign-in, sign-out, the Admin Portal link), the code
 * exchange of public (PKCE) clients, which authenticates with client_id/client_secret in the
 * body instead, and audit log export downloads, whose signed URL is the credential.
 */
const PUBLIC = [/^\/sso\/jwks\//, /^\/sso\/authorize\/?$/, /^\/user_management\/authorize\/?$/, /^\/user_management\/authenticate\/?$/];

export const isPublicPath = (path: string) =>
  PUBLIC.some((re) => re.test(path)) || path.startsWith(AUDIT_LOG_EXPORT_DOWNLOAD_PREFIX) || path === LOGOUT_PATH || path === PORTAL_LAUNCH_PATH;

/** `Authorization: Bearer <apiKey>` or a JSON 401. */
export const auth = (apiKey: () => string): MiddlewareHandler => async (c, next) => {
  if (isPublicPath(c.req.path)) return next();
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || match[1].trim() !== apiKey()) throw unauthorized();
  return next();
};
