import type { ServiceCaller, UserCaller } from '../auth/caller.ts';
import { VISIBLE_USER } from './auth-scopes.ts';
import { BY_ID, IN_HAND, cost } from './cost.ts';
import { builder } from './builder.ts';
import { planField } from './plan.ts';
import { OrganizationMembershipRef, OrganizationRef, UserRef } from './refs.ts';

const ViewerKindEnum = builder.enumType('ViewerKind', {
  description: 'How the caller signed in.',
  values: {
    USER: { value: 'user', description: 'A person, with an AuthKit access token.' },
    SERVICE: { value: 'service', description: 'A backend, with a service token (full access).' },
  } as const,
});

const ViewerRef = builder.objectRef<UserCaller | ServiceCaller>('Viewer').implement({
  description: 'Who is asking: the signed-in user and their session, or a service.',
  fields: (t) => ({
    kind: t.field({ type: ViewerKindEnum, description: 'User or service.', resolve: (v) => v.kind }),
    user: t.field({
      ...BY_ID,
      type: UserRef,
      nullable: true,
      description: 'The signed-in user (null for a service, or if the user no longer exists).',
      grantScopes: [VISIBLE_USER],
      resolve: (v, _args, ctx) => (v.kind === 'user' ? ctx.loaders.user.load(v.userId) : null),
    }),
    organizationId: t.id({
      nullable: true,
      description: 'The organization of the session (the token’s org_id).',
      resolve: (v) => (v.kind === 'user' ? (v.organizationId ?? null) : null),
    }),
    organization: t.field({
      ...BY_ID,
      type: OrganizationRef,
      nullable: true,
      description: 'That organization, while the user is still an active member of it.',
      resolve: (v, _args, ctx) => (v.kind === 'user' && v.organizationId ? ctx.access.organization(v.organizationId) : null),
    }),
    role: t.string({
      nullable: true,
      description: 'The role in that organization, as the token says (e.g. admin, member).',
      resolve: (v) => (v.kind === 'user' ? (v.role ?? null) : null),
    }),
    permissions: t.stringList({
      description: 'Permissions in that organization, as the token says.',
      resolve: (v) => (v.kind === 'user' ? v.permissions : []),
    }),
    sessionId: t.id({ nullable: true, description: 'The AuthKit session (the token’s sid).', resolve: (v) => (v.kind === 'user' ? (v.sessionId ?? null) : null) }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the access token expires; refresh it before then with refreshSession.',
      resolve: (v) => (v.kind === 'user' ? v.expiresAt : null),
    }),
    memberships: t.field({
      ...cost({ items: 100 }),
      type: [OrganizationMembershipRef],
      description: 'The user’s active memberships: the organizations they can see, with their role in each (empty for a service).',
      resolve: (_v, _args, ctx) => ctx.access.viewerMemberships(),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    ...IN_HAND,
    type: ViewerRef,
    description: 'The caller: who signed in, their memberships and the session’s organization and role.',
    // The Query type's signedIn scope runs first: an anonymous caller never gets here.
    resolve: (_root, _args, ctx) => ctx.caller as UserCaller | ServiceCaller,
  }),
);

// The session's organization is known from the token: it and its lists start with the request.
planField('Query.viewer', { start: () => undefined, access: () => false, child: () => ({ type: 'Viewer', id: undefined }) });
planField('Viewer.memberships', { start: () => undefined });
planField('Viewer.organization', {
  start: (ctx) => (ctx.caller.kind === 'user' && ctx.caller.organizationId ? ctx.access.organization(ctx.caller.organizationId) : undefined),
  child: (ctx) => (ctx.caller.kind === 'user' && ctx.caller.organizationId ? { type: 'Organization', id: ctx.caller.organizationId } : undefined),
});
