import { DomainDataState, type Organization } from '@workos-inc/node';
import { PERMISSIONS } from '../auth/permissions.ts';
import { administers, serviceOnly } from './auth-scopes.ts';
import type { Caller } from '../auth/caller.ts';
import { WRITE } from './cost.ts';
import { builder } from './builder.ts';
import { ValidationError } from './errors.ts';
import { DeletePayload, deleteErrors, writeErrors } from './payloads.ts';
import { OrganizationRef } from './refs.ts';
import { domain, externalId, idOf, metadata, nonEmptyName } from './validators.ts';

export const OrganizationPayload = builder.objectRef<{ organization: Organization }>('OrganizationPayload').implement({
  description: 'The organization as it is after the change.',
  fields: (t) => ({ organization: t.field({ type: OrganizationRef, resolve: (p) => p.organization }) }),
});

const DomainStateInput = builder.enumType('DomainDataState', {
  description: 'State to give a domain added to an organization.',
  values: {
    PENDING: { value: DomainDataState.Pending, description: 'Needs verification.' },
    VERIFIED: { value: DomainDataState.Verified, description: 'Already verified by you.' },
  } as const,
});

export const DomainDataInput = builder.inputType('DomainDataInput', {
  description: 'A domain for an organization.',
  fields: (t) => ({
    domain: t.string({ required: true, validate: domain, description: 'The domain name, e.g. example.com.' }),
    state: t.field({ type: DomainStateInput, required: false, description: 'Defaults to PENDING.' }),
  }),
});

/**
 * A verified domain routes sign-ins and captures users of that domain, and an external id is
 * what backends look organizations up by: only a service may assert either. Users add domains
 * as pending and verify them through WorkOS.
 */
export function refuseUntrusted(
  caller: Caller,
  input: { domains?: { state?: DomainDataState | null }[] | null; externalId?: string | null },
): void {
  if (caller.kind === 'service') return;
  const fields: { field: string; message: string }[] = [];
  if (input.domains?.some((d) => d.state === DomainDataState.Verified)) {
    fields.push({ field: 'domains', message: 'Only a service may add a domain as VERIFIED; add it as PENDING.' });
  }
  if (input.externalId != null) fields.push({ field: 'externalId', message: 'Only a service may set an external id.' });
  if (fields.length > 0) throw new ValidationError(fields.map((f) => f.message).join(' '), fields);
}

export const toDomainData = (list: { domain: string; state?: DomainDataState | null }[] | null | undefined) =>
  list?.map((d) => ({ domain: d.domain, state: d.state ?? DomainDataState.Pending }));

builder.mutationFields((t) => ({
  createOrganization: t.fieldWithInput({
    ...WRITE,
    description: 'Creates an organization (service callers; a signed-in user creates theirs with onboardOrganization).',
    type: OrganizationPayload,
    errors: writeErrors(),
    authScopes: serviceOnly,
    input: {
      name: t.input.string({ required: true, validate: nonEmptyName, description: 'Display name.' }),
      domains: t.input.field({ type: [DomainDataInput], required: false, description: 'Its domains.' }),
      externalId: t.input.string({ required: false, validate: externalId.nullish(), description: 'Your own id.' }),
      metadata: t.input.field({ type: 'JSON', required: false, validate: metadata.nullish(), description: 'String key/values.' }),
    },
    resolve: async (_root, { input }, ctx) => ({
      organization: await ctx.writes.createOrganization({
        name: input.name,
        domainData: toDomainData(input.domains),
        externalId: input.externalId ?? undefined,
        metadata: (input.metadata as Record<string, string> | null) ?? undefined,
      }),
    }),
  }),
  updateOrganization: t.fieldWithInput({
    ...WRITE,
    description: 'Changes an organization; fields left out stay as they are. Needs its admin role or organizations:manage.',
    type: OrganizationPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.id), PERMISSIONS.organizations),
    input: {
      id: t.input.id({ required: true, validate: idOf('Organization') }),
      name: t.input.string({ required: false, validate: nonEmptyName.nullish() }),
      domains: t.input.field({ type: [DomainDataInput], required: false, description: 'Replaces the domains.' }),
      externalId: t.input.string({ required: false, validate: externalId.nullish() }),
      metadata: t.input.field({ type: 'JSON', required: false, validate: metadata.nullish() }),
    },
    resolve: async (_root, { input }, ctx) => {
      refuseUntrusted(ctx.caller, input);
      return {
        organization: await ctx.writes.updateOrganization({
          organization: String(input.id),
          name: input.name ?? undefined,
          domainData: toDomainData(input.domains),
          externalId: input.externalId ?? undefined,
          metadata: (input.metadata as Record<string, string> | null) ?? undefined,
        }),
      };
    },
  }),
  deleteOrganization: t.fieldWithInput({
    ...WRITE,
    description: 'Deletes an organization. Needs its admin role or organizations:manage.',
    type: DeletePayload,
    errors: deleteErrors(),
    authScopes: (_root, { input }) => administers(String(input.id), PERMISSIONS.organizations),
    input: { id: t.input.id({ required: true, validate: idOf('Organization') }) },
    resolve: async (_root, { input }, ctx) => {
      await ctx.writes.deleteOrganization(String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
}));
