import { randomBytes } from 'node:crypto';
import type { RouteModule } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { BodyReader, readJsonObject } from '../body.ts';

/**
 * Admin Portal: POST /portal/generate_link answers `{ link }` to a page that stands for the
 * portal (GET /portal/launch?secret=..., no API key: the secret in the link is the credential,
 * valid for 5 minutes, as WorkOS' links are).
 */

export const PORTAL_INTENTS = ['sso', 'dsync', 'audit_logs', 'log_streams', 'domain_verification', 'certificate_renewal', 'bring_your_own_key'];
export const PORTAL_LAUNCH_PATH = '/portal/launch';
const LINK_TTL_MS = 5 * 60_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const portal: RouteModule = (app, ctx) => {
  app.post('/portal/generate_link', async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const orgId = r.string('organization', { required: true });
    const intent = r.string('intent') ?? 'sso';
    const returnUrl = r.string('return_url');
    const successUrl = r.string('success_url');
    r.done();
    if (!PORTAL_INTENTS.includes(intent)) throw new ApiError(422, { message: `Invalid intent '${intent}'.` });
    for (const url of [returnUrl, successUrl]) {
      if (url !== undefined && !URL.canParse(url)) throw new ApiError(422, { message: `Invalid URL '${url}'.` });
    }
    if (!ctx.store.organizations.has(orgId)) throw notFound('Organization', orgId);
    const now = ctx.now();
    const secret = randomBytes(24).toString('base64url');
    ctx.store.portalLinks.set(secret, {
      secret,
      organization_id: orgId,
      intent,
      return_url: returnUrl,
      success_url: successUrl,
      expires_at: now.getTime() + LINK_TTL_MS,
      created_at: now.toISOString(),
    });
    return c.json({ link: `${ctx.config.baseUrl()}${PORTAL_LAUNCH_PATH}?secret=${secret}` }, 201);
  });

  app.get(PORTAL_LAUNCH_PATH, (c) => {
    const link = ctx.store.portalLinks.get(c.req.query('secret') ?? '');
    if (!link || link.expires_at < ctx.now().getTime()) throw new ApiError(404, { message: 'This Admin Portal link is invalid or has expired.' });
    const org = ctx.store.organizations.get(link.organization_id);
    const back = link.return_url ? `<p><a href="${escapeHtml(link.return_url)}">Back to the application</a></p>` : '';
    return c.html(
      `<!doctype html><title>Admin Portal (emulated)</title><h1>Admin Portal: ${escapeHtml(link.intent)}</h1>` +
        `<p>Organization: ${escapeHtml(org?.name ?? link.organization_id)}</p>${back}`,
    );
  });
};

export default portal;
