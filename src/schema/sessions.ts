import type { Session } from '@workos-inc/node';
import { serviceOnly } from './auth-scopes.ts';
import { SessionConnection, SessionRef } from './admin-refs.ts';
import { BY_ID, IN_HAND, PAGED, cost } from './cost.ts';
import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import type { GatewayContext } from '../context/context.ts';
import { orderArgs } from './list-order.ts';
import { writeErrors } from './payloads.ts';
import { OrganizationRef, UserRef } from './refs.ts';
import { redirectUrl, workosIdOf } from './validators.ts';
import { ViewerRef } from './viewer.ts';

const SessionStatusEnum = builder.enumType('SessionStatus', {
  description: 'Whether a session can still be used.',
  values: {
    ACTIVE: { value: 'active', description: 'Signed in.' },
    EXPIRED: { value: 'expired', description: 'Ran out.' },
    REVOKED: { value: 'revoked', description: 'Ended: signed out or revoked.' },
  } as const,
});

export const ImpersonatorRef = builder.objectRef<{ email: string; reason: string | null }>('Impersonator').implement({
  description: 'Someone (usually your support staff) signed in as the user through WorkOS impersonation.',
  fields: (t) => ({
    email: t.exposeString('email', { description: 'The impersonator’s email.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'The reason they gave (sessions carry it; an access token does not).' }),
  }),
});

const returnToArg = builder.args((t) => ({
  returnTo: t.string({ required: false, validate: redirectUrl.nullish(), description: 'Where WorkOS sends the browser after signing out.' }),
}));

SessionRef.implement({
  description: 'An AuthKit session of a user: one sign-in, on one device, kept alive by its refresh token.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The session’s WorkOS id (session_...), the token’s sid.' }),
    status: t.field({ type: SessionStatusEnum, description: 'Active, expired or revoked.', resolve: (s) => s.status }),
    authMethod: t.string({ description: 'How it was signed in: password, magic_code, sso, oauth, impersonation ...', resolve: (s) => s.authMethod }),
    ipAddress: t.exposeString('ipAddress', { nullable: true, description: 'The address it was signed in from.' }),
    userAgent: t.exposeString('userAgent', { nullable: true, description: 'The browser or app it was signed in with.' }),
    organizationId: t.id({ nullable: true, description: 'The organization of the session.', resolve: (s) => s.organizationId ?? null }),
    organization: t.field({
      ...BY_ID,
      type: OrganizationRef,
      nullable: true,
      description: 'That organization, when the viewer may read it.',
      resolve: (s, _args, ctx) => (s.organizationId ? ctx.access.organization(s.organizationId) : null),
    }),
    impersonator: t.field({ ...IN_HAND, type: ImpersonatorRef, nullable: true, description: 'Set when it is an impersonation.', resolve: (s) => s.impersonator ?? null }),
    current: t.boolean({
      description: 'Whether it is the session of the token that asks (sign out there rather than revoke it).',
      resolve: (s, _args, ctx) => ctx.caller.kind === 'user' && ctx.caller.sessionId === s.id,
    }),
    signOutUrl: t.string({
      description: 'Send the browser here to end this session through WorkOS (the link itself costs no call).',
      args: { ...returnToArg },
      resolve: (s, args, ctx) => ctx.signIn.signOutUrl(s.id, args.returnTo ?? undefined),
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it ends unless refreshed.', resolve: (s) => s.expiresAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was ended.', resolve: (s) => s.endedAt }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was signed in.', resolve: (s) => s.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (s) => s.updatedAt }),
  }),
});

const sessionsOf = (userId: string) => (args: Parameters<typeof resolveConnection>[0], ctx: GatewayContext) =>
  resolveConnection<Session>(args, ctx, (p) => ctx.admin.loaders.listSessions({ ...p, userId }));

builder.objectFields(UserRef, (t) => ({
  sessions: t.field({
    ...PAGED,
    type: SessionConnection,
    nullable: true,
    description: 'The user’s AuthKit sessions, newest first: for the user themselves, or a service.',
    authScopes: (u) => ({ service: true, self: u.id }),
    args: { ...t.arg.connectionArgs(), ...orderArgs },
    resolve: (u, args, ctx) => sessionsOf(u.id)(args, ctx),
  }),
}));

builder.objectFields(ViewerRef, (t) => ({
  sessions: t.field({
    ...PAGED,
    type: SessionConnection,
    nullable: true,
    description: 'The signed-in user’s sessions, newest first (null for a service): a security page lists and revokes them.',
    args: { ...t.arg.connectionArgs(), ...orderArgs },
    resolve: (v, args, ctx) => (v.kind === 'user' ? sessionsOf(v.userId)(args, ctx) : null),
  }),
  signOutUrl: t.string({
    nullable: true,
    description: 'Send the browser here to end the current session through WorkOS (null without one); costs no call.',
    args: { ...returnToArg },
    resolve: (v, args, ctx) => (v.kind === 'user' && v.sessionId ? ctx.signIn.signOutUrl(v.sessionId, args.returnTo ?? undefined) : null),
  }),
  impersonator: t.field({
    ...IN_HAND,
    type: ImpersonatorRef,
    nullable: true,
    description: 'Who is signed in as this user, when the session is an impersonation (from the token’s act claim).',
    resolve: (v) => (v.kind === 'user' && v.impersonatorEmail ? { email: v.impersonatorEmail, reason: null } : null),
  }),
}));

const RevokeSessionPayload = builder.objectRef<{ sessionId: string }>('RevokeSessionPayload').implement({
  description: 'The session is ended: its refresh token no longer works (an access token already out runs until it expires).',
  fields: (t) => ({ sessionId: t.exposeID('sessionId', { description: 'The revoked session.' }) }),
});

const sessionId = workosIdOf('session_', 'a session');

builder.mutationField('revokeSession', (t) =>
  t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Ends one of the signed-in user’s sessions (any session, for a service). To sign out of the current one in the browser, use signOutUrl.',
    type: RevokeSessionPayload,
    errors: writeErrors(),
    // One read of the caller's sessions decides, whether the id exists elsewhere or not at all.
    authScopes: async (_root, { input }, ctx) => ((await ctx.admin.access.ownsSession(input.sessionId)) ? true : serviceOnly),
    input: { sessionId: t.input.string({ required: true, validate: sessionId, description: 'The session (session_..., a token’s sid).' }) },
    resolve: async (_root, { input }, ctx) => {
      await ctx.admin.writes.revokeSession(input.sessionId);
      return { sessionId: input.sessionId };
    },
  }),
);
