import type { Organization, OrganizationMembership } from '@workos-inc/node';
import { onboardOrganization, OnboardingFailedError } from '../data/onboarding.ts';
import { cost } from './cost.ts';
import { builder } from './builder.ts';
import { MutationErrorInterface, ValidationError } from './errors.ts';
import { DomainDataInput, refuseUntrusted, toDomainData } from './organization-mutations.ts';
import { OrganizationMembershipRef, OrganizationRef } from './refs.ts';
import { externalId, idOf, nonEmptyName } from './validators.ts';

const OnboardPayload = builder
  .objectRef<{ organization: Organization; membership: OrganizationMembership }>('OnboardOrganizationPayload')
  .implement({
    description: 'The new organization and its first admin’s membership.',
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, resolve: (p) => p.organization }),
      adminMembership: t.field({ type: OrganizationMembershipRef, resolve: (p) => p.membership }),
    }),
  });

builder.objectType(OnboardingFailedError, {
  name: 'OnboardingFailedError',
  description: 'A step of onboarding failed; the steps before it were undone.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof OnboardingFailedError,
  fields: (t) => ({
    failedStep: t.exposeString('failedStep', { description: 'The step that failed.' }),
    reason: t.exposeString('reason', { description: 'Why it failed.' }),
    rolledBack: t.exposeStringList('rolledBack', { description: 'What was undone.' }),
    notRolledBack: t.exposeStringList('notRolledBack', { description: 'What could not be undone (clean up by hand).' }),
  }),
});

builder.mutationField('onboardOrganization', (t) =>
  t.fieldWithInput({
    ...cost({ calls: 5 }),
    description:
      'Creates an organization, makes the given user its admin and records an `organization.onboarded` audit event. ' +
      'All or nothing: if a step fails, the earlier ones are undone. ' +
      'A signed-in user may onboard an organization with themselves as its admin; service callers for anyone.',
    type: OnboardPayload,
    authScopes: (_root, { input }) => ({ service: true, self: String(input.adminUserId) }),
    errors: { types: [ValidationError, OnboardingFailedError], directResult: true },
    input: {
      name: t.input.string({ required: true, validate: nonEmptyName }),
      domains: t.input.field({ type: [DomainDataInput], required: false }),
      externalId: t.input.string({ required: false, validate: externalId.nullish() }),
      adminUserId: t.input.id({ required: true, validate: idOf('User'), description: 'The user who becomes admin.' }),
    },
    resolve: (_root, { input }, ctx) => {
      refuseUntrusted(ctx.caller, input);
      return onboardOrganization(ctx.writes, {
        name: input.name,
        domainData: toDomainData(input.domains),
        externalId: input.externalId ?? undefined,
        adminUserId: String(input.adminUserId),
        location: ctx.clientAddress,
      });
    },
  }),
);
