import type { EmulatorContext, RouteModule } from '../context.ts';
import { idempotency } from '../idempotency.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { BodyReader, checkMetadata, mergeMetadata, isObject, readJsonObject } from '../body.ts';
import { arrayParam, paginate, parsePageParams } from '../pagination.ts';
import type { OrganizationDomainRecord, OrganizationRecord } from '../store.ts';
import { deleteOrganizationCascade } from './cascade.ts';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
type DomainState = OrganizationDomainRecord['state'];

interface DomainInput {
  domain: string;
  state: DomainState;
}

/** `domain_data` (current) or `domains` (deprecated); undefined when neither is sent. */
function readDomains(r: BodyReader): DomainInput[] | undefined {
  const data = r.array('domain_data');
  if (data) {
    const out: DomainInput[] = [];
    data.forEach((d, i) => {
      const state = isObject(d) ? d.state ?? 'pending' : undefined;
      if (!isObject(d) || typeof d.domain !== 'string' || !DOMAIN.test(d.domain)) r.fail(`domain_data[${i}].domain`, 'invalid_domain');
      else if (state !== 'pending' && state !== 'verified') r.fail(`domain_data[${i}].state`, 'invalid_enum_value');
      else out.push({ domain: d.domain.toLowerCase(), state });
    });
    return out;
  }
  const legacy = r.stringArray('domains');
  if (!legacy) return undefined;
  legacy.forEach((d, i) => {
    if (!DOMAIN.test(d)) r.fail(`domains[${i}]`, 'invalid_domain');
  });
  return legacy.map((domain) => ({ domain: domain.toLowerCase(), state: 'verified' as const }));
}

function assertDomainsFree(ctx: EmulatorContext, domains: DomainInput[], selfId?: string): void {
  for (const org of ctx.store.organizations.values()) {
    if (org.id === selfId) continue;
    for (const d of domains) {
      if (org.domains.some((x) => x.domain === d.domain)) {
        throw conflict(`An Organization with the domain ${d.domain} already exists.`);
      }
    }
  }
}

function assertExternalIdFree(ctx: EmulatorContext, externalId: string | null | undefined, selfId?: string): void {
  if (!externalId) return;
  for (const org of ctx.store.organizations.values()) {
    if (org.id !== selfId && org.external_id === externalId) {
      throw badRequest('external_id_already_used', `An Organization with external ID '${externalId}' already exists.`);
    }
  }
}

function buildDomains(ctx: EmulatorContext, orgId: string, domains: DomainInput[], existing: OrganizationDomainRecord[], at: string) {
  return domains.map((d): OrganizationDomainRecord => {
    const kept = existing.find((x) => x.domain === d.domain);
    if (kept) return { ...kept, state: d.state === 'verified' ? 'verified' : kept.state, updated_at: at };
    return {
      object: 'organization_domain',
      id: ctx.ids.make('organizationDomain'),
      organization_id: orgId,
      domain: d.domain,
      state: d.state,
      verification_strategy: d.state === 'verified' ? 'manual' : 'dns',
      created_at: at,
      updated_at: at,
    };
  });
}

function getOrg(ctx: EmulatorContext, id: string): OrganizationRecord {
  const org = ctx.store.organizations.get(id);
  if (!org) throw notFound('Organization', id);
  return org;
}

const organizations: RouteModule = (app, ctx) => {
  app.get('/organizations', (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = parsePageParams(q);
    const domains = arrayParam(q, 'domains')?.map((d) => d.toLowerCase());
    const search = q.get('search')?.toLowerCase();
    let items = [...ctx.store.organizations.values()];
    if (domains && domains.length > 0) items = items.filter((o) => o.domains.some((d) => domains.includes(d.domain)));
    if (search) items = items.filter((o) => o.name.toLowerCase().includes(search));
    return c.json(paginate(items, page));
  });

  app.get('/organizations/external_id/:external_id', (c) => {
    const externalId = c.req.param('external_id');
    const org = [...ctx.store.organizations.values()].find((o) => o.external_id === externalId);
    if (!org) throw notFound('Organization', externalId);
    return c.json(org);
  });

  app.get('/organizations/:id', (c) => c.json(getOrg(ctx, c.req.param('id'))));

  app.post('/organizations', idempotency(ctx), async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const name = r.string('name', { required: true, max: 255 });
    const domains = readDomains(r) ?? [];
    const externalId = r.nullableString('external_id', 128);
    const metadataIn = r.object('metadata');
    const allowOutside = r.boolean('allow_profiles_outside_organization');
    r.done();
    const metadata = checkMetadata(metadataIn);
    // Checks and insert run without an await in between, so concurrent creates cannot both win.
    assertDomainsFree(ctx, domains);
    assertExternalIdFree(ctx, externalId);
    const at = ctx.now().toISOString();
    const id = ctx.ids.make('organization');
    const org: OrganizationRecord = {
      object: 'organization',
      id,
      name: name as string,
      domains: buildDomains(ctx, id, dedupe(domains), [], at),
      metadata,
      external_id: externalId ?? null,
      allow_profiles_outside_organization: allowOutside ?? false,
      created_at: at,
      updated_at: at,
    };
    ctx.store.organizations.set(id, org);
    ctx.emit('organization.created', { ...org });
    return c.json(org, 201);
  });

  app.put('/organizations/:id', async (c) => {
    const org = getOrg(ctx, c.req.param('id'));
    const r = new BodyReader(await readJsonObject(c));
    const name = r.string('name', { max: 255 });
    if (name !== undefined && name.trim() === '') r.fail('name', 'name_required');
    const domains = readDomains(r);
    const externalId = r.nullableString('external_id', 128);
    const metadataIn = r.object('metadata');
    const stripe = r.nullableString('stripe_customer_id');
    const allowOutside = r.boolean('allow_profiles_outside_organization');
    r.done();
    const metadata = mergeMetadata(org.metadata, metadataIn);
    if (domains) assertDomainsFree(ctx, domains, org.id);
    assertExternalIdFree(ctx, externalId, org.id);
    if (stripe) {
      for (const o of ctx.store.organizations.values()) {
        if (o.id !== org.id && o.stripe_customer_id === stripe) {
          throw badRequest('stripe_customer_id_already_used', `Stripe customer ID '${stripe}' is already used.`);
        }
      }
    }
    const at = ctx.now().toISOString();
    const updated: OrganizationRecord = {
      ...org,
      name: name ?? org.name,
      domains: domains ? buildDomains(ctx, org.id, dedupe(domains), org.domains, at) : org.domains,
      metadata,
      external_id: externalId === undefined ? org.external_id : externalId,
      allow_profiles_outside_organization: allowOutside ?? org.allow_profiles_outside_organization,
      updated_at: at,
    };
    if (stripe === null) delete updated.stripe_customer_id;
    else if (stripe !== undefined) updated.stripe_customer_id = stripe;
    ctx.store.organizations.set(org.id, updated);
    // Denormalized name on memberships follows the organization.
    if (updated.name !== org.name) {
      for (const m of ctx.store.memberships.values()) {
        if (m.organization_id === org.id) m.organization_name = updated.name;
      }
    }
    ctx.emit('organization.updated', { ...updated });
    return c.json(updated);
  });

  app.delete('/organizations/:id', (c) => {
    const org = getOrg(ctx, c.req.param('id'));
    deleteOrganizationCascade(ctx, org);
    return c.body(null, 200);
  });
};

function dedupe(domains: DomainInput[]): DomainInput[] {
  const seen = new Map<string, DomainInput>();
  for (const d of domains) if (!seen.has(d.domain)) seen.set(d.domain, d);
  return [...seen.values()];
}

export default organizations;
