import type { OrganizationDomain } from '@workos-inc/node';
import { organizationStub } from '../data/organization-stub.ts';
import { PERMISSIONS } from '../auth/permissions.ts';
import { OrganizationDomainRef } from './admin-refs.ts';
import { administers, administersOwnerOf, readsOrganization } from './auth-scopes.ts';
import { BY_ID, ORGANIZATION_ID_FIELDS, WRITE, cost } from './cost.ts';
import { builder } from './builder.ts';
import { NotFoundError } from './errors.ts';
import { DeletePayload, deleteErrors, writeErrors } from './payloads.ts';
import { OrganizationRef } from './refs.ts';
import { domain, idOf } from './validators.ts';

builder.node(OrganizationDomainRef, {
  description:
    'A domain of an organization (for SSO and domain capture), with what its DNS verification needs: ' +
    'publish a TXT record named `<verificationPrefix>.<domain>` holding `verificationToken`, then call verifyOrganizationDomain.',
  id: { resolve: (d) => d.id },
  authScopes: (d) => readsOrganization(d.organizationId),
  loadWithoutCache: (id, ctx) => ctx.admin.access.organizationDomain(id),
  fields: (t) => ({
    domain: t.exposeString('domain', { description: 'The domain name, e.g. example.com.' }),
    state: t.string({
      description: 'Verification state: verified, pending, failed, unverified or legacy_verified.',
      resolve: (d) => String(d.state),
    }),
    verificationStrategy: t.string({
      nullable: true,
      description: 'How the domain is verified: dns or manual.',
      resolve: (d) => (d.verificationStrategy ? String(d.verificationStrategy) : null),
    }),
    verificationToken: t.string({
      nullable: true,
      description: 'The value of the DNS TXT record that proves the domain (null for manual verification).',
      resolve: (d) => d.verificationToken ?? null,
    }),
    verificationPrefix: t.string({
      nullable: true,
      description: 'The TXT record’s name goes `<verificationPrefix>.<domain>`.',
      resolve: (d) => d.verificationPrefix ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was added.', resolve: (d) => d.createdAt ?? null }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it last changed.', resolve: (d) => d.updatedAt ?? null }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_ID_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization the domain belongs to.',
      resolve: (d) => organizationStub(d.organizationId),
    }),
  }),
});

builder.queryField('organizationDomain', (t) =>
  t.field({
    ...BY_ID,
    type: OrganizationDomainRef,
    nullable: true,
    description: 'An organization domain by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('OrganizationDomain'), description: 'The domain’s WorkOS id (org_domain_...).' }) },
    resolve: (_root, { id }, ctx) => ctx.admin.access.organizationDomain(String(id)),
  }),
);

const OrganizationDomainPayload = builder.objectRef<{ organizationDomain: OrganizationDomain }>('OrganizationDomainPayload').implement({
  description: 'The domain as it is after the change.',
  fields: (t) => ({ organizationDomain: t.field({ type: OrganizationDomainRef, description: 'The domain.', resolve: (p) => p.organizationDomain }) }),
});

/** Verifying or deleting a domain needs its organization's admin role or organizations:manage. */
const administersDomain = administersOwnerOf(PERMISSIONS.organizations, (ctx, id) => ctx.admin.access.domainOwner(id));

builder.mutationFields((t) => ({
  createOrganizationDomain: t.fieldWithInput({
    ...WRITE,
    description:
      'Adds a domain to an organization, pending until verified through DNS (see OrganizationDomain). ' +
      'Needs its admin role or organizations:manage.',
    type: OrganizationDomainPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), PERMISSIONS.organizations),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'The organization to add it to.' }),
      domain: t.input.string({ required: true, validate: domain, description: 'The domain name, e.g. example.com.' }),
    },
    resolve: async (_root, { input }, ctx) => ({
      organizationDomain: await ctx.admin.writes.createOrganizationDomain(String(input.organizationId), input.domain),
    }),
  }),
  verifyOrganizationDomain: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description:
      'Checks the domain’s DNS TXT record now: the domain comes back verified, or failed (publish the record and try again). ' +
      'A domain already verified is a ConflictError. Needs its organization’s admin role or organizations:manage.',
    type: OrganizationDomainPayload,
    errors: writeErrors(),
    authScopes: administersDomain,
    input: { id: t.input.id({ required: true, validate: idOf('OrganizationDomain'), description: 'The domain (org_domain_...).' }) },
    resolve: async (_root, { input }, ctx) => ({ organizationDomain: await ctx.admin.writes.verifyOrganizationDomain(String(input.id)) }),
  }),
  deleteOrganizationDomain: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Removes a domain from its organization. Needs its admin role or organizations:manage.',
    type: DeletePayload,
    errors: deleteErrors(),
    authScopes: administersDomain,
    input: { id: t.input.id({ required: true, validate: idOf('OrganizationDomain'), description: 'The domain (org_domain_...).' }) },
    resolve: async (_root, { input }, ctx) => {
      const id = String(input.id);
      // Read already by the scope check (for a service, here): the write needs its organization.
      const found = await ctx.admin.loaders.organizationDomain.load(id);
      if (!found) throw new NotFoundError(`Nothing has the id ${id}.`, id);
      await ctx.admin.writes.deleteOrganizationDomain(id, found.organizationId);
      return { deletedId: id };
    },
  }),
}));
