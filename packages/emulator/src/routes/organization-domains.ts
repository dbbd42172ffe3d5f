import { randomBytes } from 'node:crypto';
import type { EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';
import { BodyReader, readJsonObject } from '../body.ts';
import { idempotency } from '../idempotency.ts';
import type { OrganizationDomainRecord, OrganizationRecord } from '../store.ts';

/**
 * Organization domains one at a time: POST /organization_domains (pending, DNS strategy, with a
 * verification token and prefix), GET and DELETE /organization_domains/:id, and
 * POST /organization_domains/:id/verify. The domains stay embedded in their organization, as
 * GET /organizations/:id shows them.
 *
 * Verification reads the emulator's "DNS" (`store.dnsTxtRecords`, set by a test through the handle's
 * `dns` controls or PUT /_emulator/dns/:name): a TXT record named `<verification_prefix>.<domain>`
 * holding the verification token verifies the domain; without it the domain turns `failed` (and may
 * be verified again later).
 */

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The TXT record name that proves a domain (WorkOS' own prefix names the environment). */
export const txtRecordName = (d: Pick<OrganizationDomainRecord, 'domain' | 'verification_prefix'>) => `${d.verification_prefix}.${d.domain}`;

function findDomain(ctx: EmulatorContext, id: string): { org: OrganizationRecord; domain: OrganizationDomainRecord } {
  for (const org of ctx.store.organizations.values()) {
    const domain = org.domains.find((d) => d.id === id);
    if (domain) return { org, domain };
  }
  throw notFound('Organization Domain', id);
}

const organizationDomains: RouteModule = (app, ctx) => {
  const { store } = ctx;
  /** Saves the organization with its changed domain list and announces both changes. */
  const save = (org: OrganizationRecord, domains: OrganizationDomainRecord[], event: string, domain: OrganizationDomainRecord) => {
    const updated: OrganizationRecord = { ...org, domains, updated_at: ctx.now().toISOString() };
    store.organizations.set(org.id, updated);
    ctx.emit(event, { ...domain });
    ctx.emit('organization.updated', { ...updated });
  };

  app.post('/organization_domains', idempotency(ctx), async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const name = r.string('domain', { required: true, max: 253 });
    const orgId = r.string('organization_id', { required: true });
    if (name !== undefined && !DOMAIN.test(name)) r.fail('domain', 'invalid_domain');
    r.done();
    const org = store.organizations.get(orgId);
    if (!org) throw notFound('Organization', orgId);
    const domainName = name.toLowerCase();
    for (const other of store.organizations.values()) {
      if (other.domains.some((d) => d.domain === domainName)) throw conflict(`The domain ${domainName} is already in use.`, 'domain_already_exists');
    }
    const at = ctx.now().toISOString();
    const domain: OrganizationDomainRecord = {
      object: 'organization_domain',
      id: ctx.ids.make('organizationDomain'),
      organization_id: org.id,
      domain: domainName,
      state: 'pending',
      verification_strategy: 'dns',
      verification_token: randomBytes(18).toString('base64url'),
      verification_prefix: 'workos-domain-verification',
      created_at: at,
      updated_at: at,
    };
    save(org, [...org.domains, domain], 'organization_domain.created', domain);
    return c.json(domain, 201);
  });

  app.get('/organization_domains/:id', (c) => c.json(findDomain(ctx, c.req.param('id')).domain));

  app.post('/organization_domains/:id/verify', (c) => {
    const { org, domain } = findDomain(ctx, c.req.param('id'));
    if (domain.state === 'verified' || domain.state === 'legacy_verified') {
      throw badRequest('domain_already_verified', 'Domain is already verified.');
    }
    if (domain.verification_strategy !== 'dns' || !domain.verification_token) {
      throw new ApiError(400, { message: 'This domain is verified manually, not through DNS.' });
    }
    const published = store.dnsTxtRecords.get(txtRecordName(domain)) ?? [];
    const verified = published.includes(domain.verification_token);
    const updated: OrganizationDomainRecord = { ...domain, state: verified ? 'verified' : 'failed', updated_at: ctx.now().toISOString() };
    save(
      org,
      org.domains.map((d) => (d.id === domain.id ? updated : d)),
      verified ? 'organization_domain.verified' : 'organization_domain.verification_failed',
      updated,
    );
    return c.json(updated, 201);
  });

  app.delete('/organization_domains/:id', (c) => {
    const { org, domain } = findDomain(ctx, c.req.param('id'));
    save(org, org.domains.filter((d) => d.id !== domain.id), 'organization_domain.deleted', domain);
    return c.body(null, 204);
  });
};

export default organizationDomains;
